package dev.ghostnet.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Checks that a command wrote a real chart: a PNG that decodes, an SVG that parses, both with content. */
public final class ChartAssertions {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ChartAssertions() {}

    /** {@code dir/name.png} and {@code dir/name.svg} exist, are valid and carry the machine caption. */
    public static void assertChart(Path dir, String name) throws Exception {
        assertPng(dir.resolve(name + ".png"));
        String svg = assertSvg(dir.resolve(name + ".svg"));
        assertTrue(svg.contains("FMA peak") && svg.contains("UTC"), name + ".svg has no machine caption");
    }

    static void assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file + " is not a PNG");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, file + " is " + image.getWidth() + "x"
                + image.getHeight());
        // A chart is not one flat colour: something was drawn.
        int first = image.getRGB(0, 0);
        boolean drawn = false;
        for (int y = 0; y < image.getHeight() && !drawn; y += 3) {
            for (int x = 0; x < image.getWidth() && !drawn; x += 3) {
                drawn = image.getRGB(x, y) != first;
            }
        }
        assertTrue(drawn, file + " is blank");
    }

    static String assertSvg(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " missing");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // JFreeSVG writes the SVG 1.1 DOCTYPE; parse without fetching it (no network here, and none needed).
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = factory.newDocumentBuilder().parse(in);
        }
        assertEquals("svg", doc.getDocumentElement().getLocalName(), file + " root");
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI(), file + " namespace");
        assertTrue(doc.getElementsByTagNameNS("*", "path").getLength() + doc.getElementsByTagNameNS("*", "rect").getLength() > 5,
                file + " has almost no shapes");
        return Files.readString(file);
    }
}

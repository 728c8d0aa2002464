package dev.ghostnet.engine.image;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder and preprocessor against torchvision's {@code Compose([Resize, CenterCrop, ToTensor,
 * Normalize])} on {@code Image.open(p).convert("RGB")}, for PNGs of every colour type and for JPEGs.
 */
class PreprocessParityTest {
    /** One 8-bit level in the [0, 1] pixel domain: the acceptance bound for PNGs. */
    private static final double PNG_BOUND = 1.0 / 255;
    /**
     * JPEG decoders differ (ImageIO's libjpeg 6b vs PIL's libjpeg-turbo: IDCT and chroma upsampling), so
     * JPEGs are held to a looser bound: 3 levels.
     */
    private static final double JPEG_BOUND = 3.0 / 255;

    @TempDir
    static Path directory;
    private static List<TorchvisionReference.Case> cases;
    private static final StringBuilder report = new StringBuilder();

    @BeforeAll
    static void generateReference() throws Exception {
        cases = TorchvisionReference.generate(directory, examplePhotos());
    }

    /** The repository's examples/ photographs: real pictures, on top of the synthetic ones. */
    private static List<Path> examplePhotos() throws IOException {
        Path examples = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolveSibling("examples");
        assertTrue(Files.isDirectory(examples), "expected the repository's examples/ at " + examples);
        List<Path> photos;
        try (Stream<Path> files = Files.list(examples)) {
            photos = new ArrayList<>(files.filter(f -> f.toString().matches(".*\\.(png|jpe?g)$")).sorted().toList());
        }
        // A YCCK JPEG (Adobe transform 2), which PIL cannot write: written once by the JDK's JPEG writer from a
        // seeded 4-band raster with the metadata of PIL's CMYK JPEG, its Adobe transform set to 2.
        try {
            photos.add(Path.of(PreprocessParityTest.class.getResource("ycck_52x40.jpg").toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        return photos;
    }

    @AfterAll
    static void printReport() {
        System.out.println("preprocessing vs torchvision, max |difference| in the [0,1] pixel domain (x255 = levels):\n"
                + report);
    }

    @TestFactory
    Stream<DynamicTest> pngsMatchTorchvisionWithinOneLevel() {
        return cases.stream().filter(c -> !c.isJpeg())
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> assertWithin(c, PNG_BOUND)));
    }

    @TestFactory
    Stream<DynamicTest> jpegsMatchTorchvisionWithinLooserBound() {
        return cases.stream().filter(TorchvisionReference.Case::isJpeg)
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> assertWithin(c, JPEG_BOUND)));
    }

    /** The decoder alone against PIL's convert("RGB"): PNGs must be identical, JPEGs within the JPEG bound. */
    @TestFactory
    Stream<DynamicTest> decodedPixelsMatchPil() throws IOException {
        return Files.readAllLines(directory.resolve("decoded.txt")).stream().map(line -> line.split("\t"))
                .map(fields -> DynamicTest.dynamicTest(fields[0], () -> {
                    Path image = directory.resolve(fields[0]);
                    String name = image.getFileName().toString();
                    byte[] expected = Files.readAllBytes(directory.resolve(fields[1]));
                    byte[] actual = new ImageDecoder().decode(image).rgb();
                    assertEquals(expected.length, actual.length, "decoded size");
                    int max = 0;
                    long differing = 0;
                    for (int i = 0; i < expected.length; i++) {
                        int d = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
                        max = Math.max(max, d);
                        differing += d != 0 ? 1 : 0;
                    }
                    synchronized (report) {
                        report.append(String.format(Locale.ROOT, "  decode %-33s max %d levels, %d of %d samples"
                                + " differ%n", name, max, differing, expected.length));
                    }
                    int bound = name.endsWith(".jpg") ? (int) Math.round(JPEG_BOUND * 255) : 0;
                    assertTrue(max <= bound, name + ": decoded pixels differ from PIL by up to " + max + " levels");
                }));
    }

    @Test
    void everyCaseIsCovered() {
        assertTrue(cases.stream().anyMatch(c -> c.interpolation() == Interpolation.BICUBIC));
        assertTrue(cases.stream().anyMatch(c -> c.interpolation() == Interpolation.BILINEAR));
        assertTrue(cases.stream().anyMatch(TorchvisionReference.Case::isJpeg));
        assertTrue(cases.stream().anyMatch(c -> c.crop() > c.resize()), "a padded case");
        assertTrue(cases.stream().anyMatch(c -> c.name().startsWith("photo_")), "an examples/ photograph");
        assertFalse(cases.size() < 40, "expected the full case list, got " + cases.size());
    }

    @Test
    void cmykAndYcckJpegsAreDecodedAndCompared() throws IOException {
        String decoded = Files.readString(directory.resolve("decoded.txt"));
        assertTrue(decoded.contains("jpeg_cmyk_64x48.jpg") && decoded.contains("ycck_52x40.jpg"),
                "the CMYK and YCCK JPEGs are among the decoded-pixel cases");
    }

    private static void assertWithin(TorchvisionReference.Case c, double bound) throws IOException, ImageException {
        RgbImage image = new ImageDecoder().decode(c.image());
        Preprocessor preprocessor = new Preprocessor(c.config());

        byte[] expectedPixels = c.pixels();
        RgbImage cropped = preprocessor.resizeAndCrop(image);
        assertEquals(c.width(), cropped.width(), "cropped width");
        assertEquals(c.height(), cropped.height(), "cropped height");
        int maxLevels = 0;
        long differing = 0;
        for (int i = 0; i < expectedPixels.length; i++) {
            int d = Math.abs((expectedPixels[i] & 0xFF) - (cropped.rgb()[i] & 0xFF));
            maxLevels = Math.max(maxLevels, d);
            differing += d != 0 ? 1 : 0;
        }

        float[] expected = c.tensor();
        float[] actual = preprocessor.toNchw(image);
        assertEquals(expected.length, actual.length, "tensor length");
        float[] std = c.config().std();
        int plane = c.height() * c.width();
        double maxPixelDomain = 0;
        boolean bitExact = true;
        for (int i = 0; i < expected.length; i++) {
            maxPixelDomain = Math.max(maxPixelDomain, Math.abs(expected[i] - actual[i]) * std[i / plane]);
            bitExact &= Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i]);
        }
        synchronized (report) {
            report.append(String.format(Locale.ROOT, "  %-36s %.6f (%.3f levels)  8-bit crop: max %d levels, %d of %d"
                            + " samples differ%s%n", c.name(), maxPixelDomain, maxPixelDomain * 255, maxLevels,
                    differing, expectedPixels.length, bitExact ? ", tensor bit-exact" : ""));
        }
        assertTrue(maxPixelDomain <= bound + 1e-6, c.name() + ": max difference " + maxPixelDomain
                + " in the [0,1] domain exceeds " + bound);
    }
}

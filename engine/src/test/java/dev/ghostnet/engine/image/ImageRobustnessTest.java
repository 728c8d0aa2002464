package dev.ghostnet.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.regex.Pattern;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What ImageDecoderTest does not already cover (one truncation, a PNG bomb, CMYK and 16-bit files in
 * PreprocessParityTest): JPEG bombs from the frame header, truncation at every few bytes, and random
 * corruption, each ending in an ImageException or a decoded image of the declared size, never another
 * exception.
 */
class ImageRobustnessTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    /** A JPEG whose frame header claims 65500x65500 (4.3 G pixels) is refused before any pixel buffer exists. */
    @Test
    void jpegBombIsRefusedFromItsFrameHeader() throws IOException {
        byte[] jpeg = encode(noise(16, 16), "jpeg");
        int sof = frameHeader(jpeg);
        ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) 65500).putShort(sof + 7, (short) 65500);
        Path bomb = Files.write(dir.resolve("bomb.jpg"), jpeg);
        long before = allocated();
        ImageException e = assertThrows(ImageException.class, () -> decoder.decode(bomb));
        assertTrue(e.getMessage().contains("65500x65500") && e.getMessage().contains("limit"), e.getMessage());
        assertTrue(allocated() - before < 64L << 20, "allocated " + (allocated() - before) + " bytes to refuse it");
    }

    /** An IHDR with widths that are negative as Java ints is rejected, not turned into a negative array size. */
    @Test
    void pngWithOutOfRangeDimensions() throws IOException {
        byte[] png = encode(noise(8, 8), "png");
        ByteBuffer.wrap(png).putInt(16, 0x8000_0001).putInt(20, 0x7fff_ffff);
        Path file = Files.write(dir.resolve("negative.png"), png);
        ImageException e = assertThrows(ImageException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    /**
     * Most cuts are rejected as truncated. A few decode: a PNG cut inside its IEND chunk (all pixel data
     * present, as PIL also accepts), and a JPEG cut exactly where its scan data starts, which ImageIO
     * decodes to a flat image without a warning (see RELIABILITY.md). Either way: an image of the declared
     * size or an ImageException naming the file, nothing else.
     */
    /** Messages are for people: no "(EOFException)" or "ZipException:". */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b\\w+(Exception|Error)\\b");

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void truncatedAtEveryFewBytes(String format) throws IOException {
        byte[] whole = encode(noise(40, 30), format);
        Path file = dir.resolve("cut." + format);
        int rejected = 0;
        int cuts = 0;
        for (int cut = 0; cut < whole.length; cut += Math.max(1, whole.length / 150), cuts++) {
            Files.write(file, Arrays.copyOf(whole, cut));
            try {
                RgbImage image = decoder.decode(file);
                assertEquals(40 * 30 * 3, image.rgb().length, "cut at " + cut + " decoded to " + image);
            } catch (ImageException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertFalse(JAVA_NAME.matcher(e.getMessage()).find(), "a Java class name in: " + e.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("cut at " + cut + " escaped as " + e, e);
            }
        }
        assertTrue(rejected >= cuts - 3, format + ": only " + rejected + " of " + cuts + " cuts rejected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void corruptedBytesEndInAnImageOrAnImageException(String format) throws IOException {
        byte[] whole = encode(noise(40, 30), format);
        Path file = dir.resolve("corrupt." + format);
        SplittableRandom random = new SplittableRandom(format.hashCode());
        int decoded = 0;
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bytes = whole.clone();
            for (int f = 1 + random.nextInt(4); f > 0; f--) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            Files.write(file, bytes);
            try {
                RgbImage image = decoder.decode(file);
                assertEquals(image.width() * image.height() * 3, image.rgb().length, "trial " + trial);
                decoded++;
            } catch (ImageException expected) {
                assertFalse(JAVA_NAME.matcher(expected.getMessage()).find(), "a Java class name in: " + expected.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("trial " + trial + " of " + format + " escaped as " + e, e);
            }
        }
        // PNG chunks carry CRCs, so every corruption is caught; JPEG has none, so many still decode.
        assertTrue(rejected > 0, "no corruption of " + format + " was caught");
        assertTrue(format.equals("png") || decoded > 0, "no corrupted JPEG decoded: the trials miss the scan data");
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(1 << 24));
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IOException("no ImageIO writer for " + format);
        return out.toByteArray();
    }

    /** Offset of the baseline frame header (SOF0 marker FF C0); its height and width follow at +5 and +7. */
    private static int frameHeader(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) return i;
        }
        throw new AssertionError("no SOF0 marker");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

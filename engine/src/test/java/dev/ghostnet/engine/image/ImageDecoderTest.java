package dev.ghostnet.engine.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding without the Python reference: known pixels and every error path. */
class ImageDecoderTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesRgbPngPixelsExactly() throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x102030);
        image.setRGB(2, 1, 0xFFFEFD);
        Path png = write(image, "png", "small.png");

        RgbImage rgb = decoder.decode(png);

        assertEquals(3, rgb.width());
        assertEquals(2, rgb.height());
        assertArrayEquals(new int[] {0x10, 0x20, 0x30}, pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {0xFF, 0xFE, 0xFD}, pixel(rgb, 2, 1));
        assertArrayEquals(new int[] {0, 0, 0}, pixel(rgb, 1, 0));
    }

    @Test
    void grayscaleIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 77);
        gray.getRaster().setSample(1, 0, 0, 200);
        RgbImage rgb = decoder.decode(write(gray, "png", "gray.png"));
        assertArrayEquals(new int[] {77, 77, 77}, pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {200, 200, 200}, pixel(rgb, 1, 0));
    }

    @Test
    void formatIsRecognisedByContentNotName() throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        Path misnamed = write(image, "png", "actually-a-png.jpg");
        assertEquals(4, decoder.decode(misnamed).width());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("no-such-image.png");
        assertMessage(missing, "not found");
    }

    @Test
    void directoryIsRejected() {
        assertMessage(dir, "directory");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertMessage(empty, "empty");
    }

    @Test
    void nonImageFileIsRejected() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "these are not pixels\n");
        assertMessage(text, "unknown image format");
    }

    @Test
    void gifIsNamedAsUnsupported() throws Exception {
        Path gif = write(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED), "gif", "anim.gif");
        assertMessage(gif, "GIF");
    }

    @Test
    void truncatedPngIsRejected() throws Exception {
        Path whole = write(noise(64, 48), "png", "whole.png");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(cut, "truncated");
    }

    @Test
    void aPngCutInsideItsPixelDataSaysSo() throws Exception {
        byte[] bytes = Files.readAllBytes(write(noise(64, 48), "png", "whole.png"));
        Path cut = Files.write(dir.resolve("pixels.png"), Arrays.copyOf(bytes, bytes.length - 400));
        ImageException e = assertMessage(cut, "truncated image file");
        assertTrue(e.getMessage().contains("cut inside its pixel data (IDAT chunk"), e.getMessage());
        assertFalse(e.getMessage().contains("metadata"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"201, arithmetic-coded JPEG (SOF9)", "202, arithmetic-coded JPEG (SOF10)", "195, lossless JPEG (SOF3)"})
    void unsupportedJpegCodingsAreNamed(int marker, String expected) throws Exception {
        byte[] bytes = Files.readAllBytes(write(noise(16, 16), "jpeg", "baseline.jpg"));
        for (int i = 2; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xC0) {
                bytes[i + 1] = (byte) marker;
                break;
            }
        }
        Path file = Files.write(dir.resolve("sof" + marker + ".jpg"), bytes);
        ImageException e = assertMessage(file, "unsupported image");
        assertTrue(e.getMessage().contains(expected + " is not supported"), e.getMessage());
    }

    @Test
    void pngCutInsideItsHeaderIsRejected() throws Exception {
        byte[] bytes = Files.readAllBytes(write(noise(8, 8), "png", "whole.png"));
        Path cut = Files.write(dir.resolve("header.png"), Arrays.copyOf(bytes, 12));
        assertMessage(cut, "truncated");
    }

    @Test
    void truncatedJpegIsRejected() throws Exception {
        byte[] bytes = Files.readAllBytes(write(noise(64, 48), "jpeg", "whole.jpg"));
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertMessage(cut, "truncated");
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() throws Exception {
        Path bomb = Files.write(dir.resolve("bomb.png"), pngHeaderOnly(100_000, 100_000));
        ImageException e = assertMessage(bomb, "100000x100000");
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() throws Exception {
        Path png = write(noise(20, 10), "png", "200px.png");
        assertEquals(20, new ImageDecoder(200).decode(png).width());
        ImageException e = assertThrows(ImageException.class, () -> new ImageDecoder(199).decode(png));
        assertTrue(e.getMessage().contains("200 pixels"), e.getMessage());
    }

    private ImageException assertMessage(Path file, String expected) {
        ImageException e = assertThrows(ImageException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message should say '" + expected + "': " + e.getMessage());
        return e;
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
        return file;
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static int[] pixel(RgbImage image, int x, int y) {
        return new int[] {image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)};
    }

    /** A PNG whose IHDR claims {@code width x height} RGB pixels, followed by a tiny IDAT and IEND. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

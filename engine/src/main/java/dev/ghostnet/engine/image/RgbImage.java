package dev.ghostnet.engine.image;

/**
 * An 8-bit RGB raster, interleaved row-major: the sample of channel {@code c} at column {@code x}, row
 * {@code y} is {@code rgb[(y * width + x) * 3 + c]}, read as unsigned. This is what PIL's
 * {@code Image.convert("RGB")} holds, and so what every preprocessing step starts from.
 *
 * <p>The array is not copied: the record is a cheap carrier between the decoder and the preprocessor,
 * and callers that share it must not mutate it.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    /** The unsigned sample of channel {@code channel} (0 = R, 1 = G, 2 = B) at (x, y). */
    public int sample(int x, int y, int channel) {
        if (x < 0 || x >= width || y < 0 || y >= height || channel < 0 || channel > 2) {
            throw new IndexOutOfBoundsException("(x=" + x + ", y=" + y + ", c=" + channel + ") is outside a "
                    + width + "x" + height + " RGB image");
        }
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}

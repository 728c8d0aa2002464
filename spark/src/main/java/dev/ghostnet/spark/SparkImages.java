package dev.ghostnet.spark;

import org.apache.spark.sql.Row;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Spark's {@code image} source struct to a {@link BufferedImage}. Spark (like OpenCV) stores pixels row by
 * row with interleaved samples in BGR order: {@code CV_8UC1} grey (1 channel), {@code CV_8UC3} BGR and
 * {@code CV_8UC4} BGRA. Grey and BGR map onto Java's {@code TYPE_BYTE_GRAY} and {@code TYPE_3BYTE_BGR},
 * whose rasters have that very byte order; BGRA is reordered into {@code TYPE_4BYTE_ABGR}.
 */
final class SparkImages {
    /** OpenCV's type codes as Spark's {@code ImageSchema} writes them. */
    static final int CV_8UC1 = 0;
    static final int CV_8UC3 = 16;
    static final int CV_8UC4 = 24;

    private SparkImages() {}

    /**
     * The image of one struct.
     *
     * @throws IllegalArgumentException saying what is wrong when the struct holds no usable image (Spark's
     *                                  reader leaves -1 sizes and no data for files it could not decode)
     */
    static BufferedImage toBufferedImage(Row struct) {
        int height = intField(struct, "height");
        int width = intField(struct, "width");
        int channels = intField(struct, "nChannels");
        int mode = intField(struct, "mode");
        byte[] data = struct.getAs("data");
        if (height <= 0 || width <= 0 || data == null || data.length == 0) {
            throw new IllegalArgumentException("the image struct holds no image (height " + height + ", width " + width
                    + "): Spark's image source could not decode the file");
        }
        int type = switch (mode) {
            case CV_8UC1 -> BufferedImage.TYPE_BYTE_GRAY;
            case CV_8UC3 -> BufferedImage.TYPE_3BYTE_BGR;
            case CV_8UC4 -> BufferedImage.TYPE_4BYTE_ABGR;
            default -> throw new IllegalArgumentException("unsupported image mode " + mode
                    + ": expected CV_8UC1 (0), CV_8UC3 (16) or CV_8UC4 (24)");
        };
        int expectedChannels = mode == CV_8UC1 ? 1 : mode == CV_8UC3 ? 3 : 4;
        if (channels != expectedChannels) {
            throw new IllegalArgumentException("image mode " + mode + " has " + expectedChannels + " channels, the struct"
                    + " says nChannels " + channels);
        }
        long size = (long) height * width * channels;
        if (data.length != size) {
            throw new IllegalArgumentException("image data has " + data.length + " bytes, " + height + " x " + width
                    + " x " + channels + " needs " + size);
        }
        BufferedImage image = new BufferedImage(width, height, type);
        byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (mode != CV_8UC4) {
            System.arraycopy(data, 0, raster, 0, data.length);
            return image;
        }
        for (int i = 0; i < data.length; i += 4) {
            raster[i] = data[i + 3];     // A
            raster[i + 1] = data[i];     // B
            raster[i + 2] = data[i + 1]; // G
            raster[i + 3] = data[i + 2]; // R
        }
        return image;
    }

    private static int intField(Row struct, String name) {
        Object value = struct.getAs(name);
        if (value == null) {
            throw new IllegalArgumentException("the image struct's " + name + " is null");
        }
        return (Integer) value;
    }
}

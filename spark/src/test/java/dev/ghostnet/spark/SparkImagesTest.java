package dev.ghostnet.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark's BGR(A) image structs become images with the right colours, and broken structs are named. */
class SparkImagesTest {
    private static final StructType IMAGE = new StructType()
            .add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
            .add("width", DataTypes.IntegerType).add("nChannels", DataTypes.IntegerType)
            .add("mode", DataTypes.IntegerType).add("data", DataTypes.BinaryType);

    private static Row struct(int height, int width, int channels, int mode, byte[] data) {
        return new GenericRowWithSchema(new Object[] {"x.png", height, width, channels, mode, data}, IMAGE);
    }

    @Test
    void bgrAndBgraSamplesBecomeTheirRgbColours() {
        // Two pixels, row-major: (R, G, B) = (10, 20, 30) and (200, 100, 50), stored blue first.
        BufferedImage bgr = SparkImages.toBufferedImage(struct(1, 2, 3, SparkImages.CV_8UC3,
                new byte[] {30, 20, 10, 50, 100, (byte) 200}));
        assertEquals(0x0A141E, bgr.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xC86432, bgr.getRGB(1, 0) & 0xFFFFFF);
        BufferedImage bgra = SparkImages.toBufferedImage(struct(2, 1, 4, SparkImages.CV_8UC4,
                new byte[] {30, 20, 10, (byte) 255, 50, 100, (byte) 200, (byte) 128}));
        assertEquals(0xFF0A141E, bgra.getRGB(0, 0));
        assertEquals(0x80C86432, bgra.getRGB(0, 1));
        BufferedImage grey = SparkImages.toBufferedImage(struct(1, 2, 1, SparkImages.CV_8UC1, new byte[] {0, (byte) 255}));
        assertEquals(0x000000, grey.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grey.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void unusableStructsAreRefusedWithTheReason() {
        refused("holds no image", struct(-1, -1, -1, -1, new byte[0]));
        refused("unsupported image mode 5", struct(1, 1, 3, 5, new byte[3]));
        refused("nChannels 1", struct(1, 1, 1, SparkImages.CV_8UC3, new byte[3]));
        refused("has 5 bytes", struct(1, 2, 3, SparkImages.CV_8UC3, new byte[5]));
    }

    private static void refused(String expected, Row struct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkImages.toBufferedImage(struct));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

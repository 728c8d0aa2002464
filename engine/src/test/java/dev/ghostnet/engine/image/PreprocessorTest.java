package dev.ghostnet.engine.image;

import dev.ghostnet.kernels.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Layouts, geometry and validation; parity with torchvision is PreprocessParityTest's job. */
class PreprocessorTest {
    private static RgbImage random(int width, int height, long seed) {
        byte[] rgb = new byte[width * height * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    @Test
    void resizedSizeTruncatesTheLongSideLikeTorchvision() {
        assertArrayEquals(new int[] {384, 256}, Preprocessor.resizedSize(500, 333, 256)); // 384.38
        assertArrayEquals(new int[] {256, 341}, Preprocessor.resizedSize(480, 640, 256)); // 341.33
        assertArrayEquals(new int[] {256, 256}, Preprocessor.resizedSize(7, 7, 256));
        assertArrayEquals(new int[] {6144, 256}, Preprocessor.resizedSize(1200, 50, 256));
        assertArrayEquals(new int[] {256, 512}, Preprocessor.resizedSize(3, 6, 256));
        assertArrayEquals(new int[] {256, 85418}, Preprocessor.resizedSize(3, 1001, 256)); // 85418.67
    }

    @Test
    void nchwAndNhwcHoldTheSameValues() {
        Preprocessor preprocessor = new Preprocessor(PreprocessConfig.imagenet());
        RgbImage image = random(300, 260, 1);
        float[] chw = preprocessor.toNchw(image);
        float[] hwc = preprocessor.toNhwc(image);
        int plane = 224 * 224;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(chw[c * plane + p], hwc[p * 3 + c]);
            }
        }
    }

    @Test
    void valuesAreToTensorThenNormalize() {
        Preprocessor preprocessor = new Preprocessor(PreprocessConfig.imagenet());
        byte[] rgb = new byte[224 * 224 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 255;
            rgb[i + 2] = (byte) 128;
        }
        float[] hwc = preprocessor.toNhwc(new RgbImage(224, 224, rgb)); // 224 < 256: upscaled, stays flat
        assertEquals((1f - 0.485f) / 0.229f, hwc[0]);
        assertEquals((0f - 0.456f) / 0.224f, hwc[1]);
        assertEquals((128 / 255f - 0.406f) / 0.225f, hwc[2]);
    }

    @Test
    void writesIntoATensorSlotWithAWideChannelStride() {
        Preprocessor preprocessor = new Preprocessor(PreprocessConfig.imagenet());
        RgbImage image = random(333, 401, 2);
        float[] hwc = preprocessor.toNhwc(image);
        try (Arena arena = Arena.ofConfined()) {
            Tensor batch = Tensor.allocate(arena, 3, 224, 224, 3, 8);
            preprocessor.toTensor(image, batch, 1);
            assertArrayEquals(hwc, batch.images(1, 1).toArray());
            assertArrayEquals(new float[224 * 224 * 3], batch.images(0, 1).toArray());
            assertArrayEquals(new float[224 * 224 * 3], batch.images(2, 1).toArray());
            assertThrows(IndexOutOfBoundsException.class, () -> preprocessor.toTensor(image, batch, 3));
            Tensor wrongSize = Tensor.allocate(arena, 1, 256, 256, 3);
            assertThrows(IllegalArgumentException.class, () -> preprocessor.toTensor(image, wrongSize, 0));
        }
    }

    @Test
    void writesAtAnOffsetAndChecksRoom() {
        Preprocessor preprocessor = new Preprocessor(PreprocessConfig.imagenet());
        RgbImage image = random(256, 300, 3);
        int size = 3 * 224 * 224;
        float[] batch = new float[2 * size];
        preprocessor.toNchw(image, batch, size);
        float[] second = new float[size];
        System.arraycopy(batch, size, second, 0, size);
        assertArrayEquals(preprocessor.toNchw(image), second);
        assertThrows(IndexOutOfBoundsException.class, () -> preprocessor.toNchw(image, batch, size + 1));
    }

    @Test
    void padsWithBlackWhenTheCropExceedsTheResizedImage() {
        PreprocessConfig config = new PreprocessConfig(10, 13, Interpolation.BILINEAR, new float[] {0, 0, 0},
                new float[] {1, 1, 1});
        byte[] white = new byte[40 * 20 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        RgbImage cropped = new Preprocessor(config).resizeAndCrop(new RgbImage(40, 20, white)); // -> 20x10
        assertEquals(13, cropped.width());
        // Height 10 in 13: torchvision puts (13 - 10) / 2 = 1 row above, 2 below.
        assertEquals(0, cropped.sample(6, 0, 0));
        assertEquals(255, cropped.sample(6, 1, 0));
        assertEquals(255, cropped.sample(6, 10, 0));
        assertEquals(0, cropped.sample(6, 11, 0));
        assertEquals(0, cropped.sample(6, 12, 0));
    }

    @Test
    void configValidatesAndCopiesItsArrays() {
        float[] mean = {0.5f, 0.5f, 0.5f};
        PreprocessConfig config = new PreprocessConfig(256, 224, Interpolation.BICUBIC, mean, new float[] {1, 1, 1});
        mean[0] = 9;
        assertEquals(0.5f, config.mean()[0]);
        config.mean()[1] = 9;
        assertEquals(0.5f, config.mean()[1]);
        assertEquals(PreprocessConfig.imagenet(), PreprocessConfig.imagenet(Interpolation.BILINEAR));
        assertThrows(IllegalArgumentException.class,
                () -> new PreprocessConfig(256, 224, Interpolation.BILINEAR, new float[2], new float[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new PreprocessConfig(256, 224, Interpolation.BILINEAR, mean, new float[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new PreprocessConfig(0, 224, Interpolation.BILINEAR, mean, new float[] {1, 1, 1}));
    }
}

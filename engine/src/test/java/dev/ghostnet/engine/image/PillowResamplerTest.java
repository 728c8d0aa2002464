package dev.ghostnet.engine.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PillowResamplerTest {
    private static RgbImage random(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        new Random(width * 31L + height).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    @Test
    void aWindowEqualsTheSamePixelsOfTheFullResize() {
        for (Interpolation filter : Interpolation.values()) {
            RgbImage source = random(517, 389);
            int[][] targets = {{341, 256}, {700, 600}, {517, 200}, {90, 389}};
            for (int[] t : targets) {
                RgbImage full = PillowResampler.resize(source, t[0], t[1], filter);
                int left = t[0] / 5;
                int top = t[1] / 3;
                int width = t[0] / 2;
                int height = t[1] / 2;
                RgbImage window = PillowResampler.resizeWindow(source, t[0], t[1], filter, left, top, width, height);
                for (int y = 0; y < height; y++) {
                    int from = ((top + y) * t[0] + left) * 3;
                    assertArrayEquals(Arrays.copyOfRange(full.rgb(), from, from + width * 3),
                            Arrays.copyOfRange(window.rgb(), y * width * 3, (y + 1) * width * 3),
                            filter + " " + Arrays.toString(t) + " row " + y);
                }
            }
        }
    }

    @Test
    void aConstantImageStaysConstant() {
        byte[] grey = new byte[123 * 45 * 3];
        Arrays.fill(grey, (byte) 200);
        for (Interpolation filter : Interpolation.values()) {
            RgbImage resized = PillowResampler.resize(new RgbImage(123, 45, grey), 17, 300, filter);
            for (byte b : resized.rgb()) {
                assertEquals(200, b & 0xFF, filter.toString());
            }
        }
    }

    @Test
    void sameSizeIsACopy() {
        RgbImage source = random(40, 30);
        RgbImage same = PillowResampler.resize(source, 40, 30, Interpolation.BICUBIC);
        assertArrayEquals(source.rgb(), same.rgb());
        assertSame(RgbImage.class, same.getClass());
    }

    @Test
    void rejectsAWindowOutsideTheTarget() {
        RgbImage source = random(10, 10);
        assertThrows(IllegalArgumentException.class,
                () -> PillowResampler.resizeWindow(source, 20, 20, Interpolation.BILINEAR, 15, 0, 10, 10));
        assertThrows(IllegalArgumentException.class,
                () -> PillowResampler.resize(source, 0, 20, Interpolation.BILINEAR));
    }
}

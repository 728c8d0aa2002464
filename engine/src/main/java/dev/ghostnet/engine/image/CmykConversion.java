package dev.ghostnet.engine.image;

import java.awt.image.Raster;

/**
 * Four-component JPEG samples to RGB the way {@code PIL.Image.open(path).convert("RGB")} does it.
 *
 * <p>libjpeg (libjpeg-turbo under PIL) hands PIL CMYK: a YCCK file's first three components are turned
 * back into CMY with libjpeg's fixed-point YCbCr tables ({@code ycck_cmyk_convert} in jdcolor.c: C, M, Y
 * = 255 - R, G, B; K as stored). PIL reads JPEG CMYK as inverted ("CMYK;I", Adobe's convention) and converts
 * to RGB with {@code R = nk - c * nk / 255} (rounded as its {@code MULDIV255}), {@code nk = 255 - k},
 * for G and B alike: no colour management.
 *
 * <p>Layout: the raster holds the raw interleaved samples in component order, 8 bits each.
 */
final class CmykConversion {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // libjpeg's build_ycc_rgb_table, integer for integer.
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private CmykConversion() {
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    static RgbImage toRgb(Raster raster, boolean ycck) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        int[] row = new int[width * 4];
        for (int y = 0, o = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++, o += 3) {
                int p = 4 * x;
                int c = row[p];
                int m = row[p + 1];
                int ye = row[p + 2];
                if (ycck) {
                    int luma = row[p];
                    int cb = row[p + 1];
                    int cr = row[p + 2];
                    c = 255 - clamp(luma + CR_R[cr]);
                    m = 255 - clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                    ye = 255 - clamp(luma + CB_B[cb]);
                }
                // PIL's "CMYK;I": the stored samples are inverted.
                int nk = row[p + 3];
                rgb[o] = (byte) (nk - mulDiv255(255 - c, nk));
                rgb[o + 1] = (byte) (nk - mulDiv255(255 - m, nk));
                rgb[o + 2] = (byte) (nk - mulDiv255(255 - ye, nk));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** PIL's MULDIV255: a * b / 255 rounded, exactly for 8-bit a and b. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

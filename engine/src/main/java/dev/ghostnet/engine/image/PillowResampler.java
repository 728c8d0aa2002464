package dev.ghostnet.engine.image;

/**
 * Resizes 8-bit RGB images exactly as PIL's {@code Image.resize} does with a convolution filter
 * (Pillow's {@code ImagingResample}), which is what torchvision's {@code Resize} runs on PIL images.
 *
 * <p>The algorithm, re-derived from Pillow's documented behaviour so the output matches it bit for bit:
 * <ul>
 *   <li>Separable, two passes: horizontal first (into an 8-bit intermediate), then vertical. A pass whose
 *       size does not change is skipped.</li>
 *   <li>Antialiasing: when downscaling by {@code scale = in / out > 1} the kernel is stretched by
 *       {@code scale}, so its support becomes {@code support * scale} and it is evaluated at
 *       {@code distance / scale}.</li>
 *   <li>Output pixel {@code i} is centred at {@code (i + 0.5) * scale} in source coordinates; it reads
 *       source pixels {@code [trunc(center - support + 0.5), trunc(center + support + 0.5))}, clamped to
 *       the image, weighted by the kernel at their own centres, then divided by the sum of those weights.</li>
 *   <li>The weights become signed fixed point with 22 fractional bits, rounded half away from zero; each
 *       sum starts at one half (1 &lt;&lt; 21), is shifted right arithmetically by 22 and clamped to
 *       [0, 255]. That rounding to 8 bits happens after each pass, as in PIL.</li>
 * </ul>
 * Every output pixel depends only on its own coefficients, so a window of the resized image can be
 * computed alone and still equal the same pixels of the full resize; {@link #resizeWindow} uses that to
 * skip the rows and columns a centre crop throws away.
 */
public final class PillowResampler {
    /** 32 bits less 8 for the result and 2 for coefficient sums outside [0, 1] (negative cubic lobes). */
    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private PillowResampler() {
    }

    /** The whole image resized to {@code outWidth x outHeight}. */
    public static RgbImage resize(RgbImage source, int outWidth, int outHeight, Interpolation filter) {
        return resizeWindow(source, outWidth, outHeight, filter, 0, 0, outWidth, outHeight);
    }

    /**
     * Columns {@code [left, left + width)} and rows {@code [top, top + height)} of the image resized to
     * {@code outWidth x outHeight}; the window must lie inside the resized image.
     */
    public static RgbImage resizeWindow(RgbImage source, int outWidth, int outHeight, Interpolation filter,
                                        int left, int top, int width, int height) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + outWidth + "x" + outHeight);
        }
        if (left < 0 || top < 0 || width <= 0 || height <= 0 || left > outWidth - width || top > outHeight - height) {
            throw new IllegalArgumentException("window " + width + "x" + height + " at (" + left + ", " + top
                    + ") is not inside the resized " + outWidth + "x" + outHeight + " image");
        }
        boolean horizontal = outWidth != source.width();
        boolean vertical = outHeight != source.height();

        Coefficients rows = vertical ? Coefficients.of(source.height(), outHeight, filter) : null;
        // Source rows the vertical pass will read, so the horizontal pass produces only those.
        int firstRow = vertical ? rows.first(top) : top;
        int endRow = vertical ? rows.end(top, height) : top + height;

        byte[] band;
        if (horizontal) {
            band = horizontalPass(source, Coefficients.of(source.width(), outWidth, filter), left, width,
                    firstRow, endRow);
        } else {
            band = copyColumns(source, left, width, firstRow, endRow);
        }
        byte[] out = vertical ? verticalPass(band, width, rows, firstRow, top, height) : band;
        return new RgbImage(width, height, out);
    }

    private static byte[] horizontalPass(RgbImage source, Coefficients cols, int left, int width,
                                         int firstRow, int endRow) {
        byte[] in = source.rgb();
        int inStride = source.width() * 3;
        byte[] out = new byte[(endRow - firstRow) * width * 3];
        int[] k = cols.weights;
        int o = 0;
        for (int y = firstRow; y < endRow; y++) {
            int rowBase = y * inStride;
            for (int xx = left; xx < left + width; xx++) {
                int p = rowBase + cols.first[xx] * 3;
                int kBase = xx * cols.stride;
                int r = HALF, g = HALF, b = HALF;
                for (int i = 0, n = cols.count[xx]; i < n; i++, p += 3) {
                    int w = k[kBase + i];
                    r += (in[p] & 0xFF) * w;
                    g += (in[p + 1] & 0xFF) * w;
                    b += (in[p + 2] & 0xFF) * w;
                }
                out[o++] = clip8(r);
                out[o++] = clip8(g);
                out[o++] = clip8(b);
            }
        }
        return out;
    }

    /** {@code band} holds source rows {@code [firstRow, ...)}, {@code width} pixels each. */
    private static byte[] verticalPass(byte[] band, int width, Coefficients rows, int firstRow, int top, int height) {
        int stride = width * 3;
        byte[] out = new byte[height * stride];
        int[] k = rows.weights;
        int o = 0;
        for (int yy = top; yy < top + height; yy++) {
            int start = (rows.first[yy] - firstRow) * stride;
            int n = rows.count[yy];
            int kBase = yy * rows.stride;
            for (int x = 0; x < stride; x++) {
                int sum = HALF;
                for (int i = 0, p = start + x; i < n; i++, p += stride) {
                    sum += (band[p] & 0xFF) * k[kBase + i];
                }
                out[o++] = clip8(sum);
            }
        }
        return out;
    }

    private static byte[] copyColumns(RgbImage source, int left, int width, int firstRow, int endRow) {
        byte[] out = new byte[(endRow - firstRow) * width * 3];
        for (int y = firstRow, o = 0; y < endRow; y++, o += width * 3) {
            System.arraycopy(source.rgb(), (y * source.width() + left) * 3, out, o, width * 3);
        }
        return out;
    }

    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * Fixed-point weights of one pass: output index {@code i} reads {@code count[i]} source pixels from
     * {@code first[i]}, with weights {@code weights[i * stride ...]}.
     */
    static final class Coefficients {
        final int[] first;
        final int[] count;
        final int[] weights;
        final int stride;

        private Coefficients(int[] first, int[] count, int[] weights, int stride) {
            this.first = first;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        static Coefficients of(int inSize, int outSize, Interpolation filter) {
            // PIL passes the source box as C floats; the cast keeps sizes above 2^24 identical too.
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[Math.multiplyExact(outSize, stride)];
            double[] w = new double[stride];
            double inverseScale = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                // Java's (int) truncates toward zero like C's cast, which is what PIL's "rounding" relies on.
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), inSize);
                int n = hi - lo;
                double total = 0.0;
                for (int j = 0; j < n; j++) {
                    w[j] = filter.weight((j + lo - center + 0.5) * inverseScale);
                    total += w[j];
                }
                for (int j = 0; j < n; j++) {
                    double normalised = total != 0.0 ? w[j] / total : w[j];
                    weights[i * stride + j] = toFixed(normalised);
                }
                first[i] = lo;
                count[i] = n;
            }
            return new Coefficients(first, count, weights, stride);
        }

        /** Round half away from zero, as PIL's (int)(x ± 0.5) does. */
        private static int toFixed(double weight) {
            double scaled = weight * (1 << PRECISION_BITS);
            return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
        }

        int first(int from) {
            return first[from];
        }

        /** One past the last source index read by outputs {@code [from, from + length)}. */
        int end(int from, int length) {
            int end = 0;
            for (int i = from; i < from + length; i++) {
                end = Math.max(end, first[i] + count[i]);
            }
            return end;
        }
    }
}

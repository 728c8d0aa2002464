package dev.ghostnet;

import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies caller images into a session's NHWC input tensor, once, and refuses non-finite values: a NaN in
 * the input would come out as NaN logits, which {@link Predictions} refuses anyway, so it is named here
 * where it can still be placed. Nothing is allocated.
 */
final class InputCopy {
    private InputCopy() {}

    /**
     * Copies images {@code from .. from + count - 1} of {@code input} into slots {@code 0 .. count - 1} of
     * {@code tensor}, whose height, width and channels give each image's shape.
     */
    static void copy(ImageTensor input, int from, int count, Tensor tensor) {
        int h = tensor.height();
        int w = tensor.width();
        int c = tensor.channels();
        long perImage = (long) h * w * c;
        MemorySegment target = tensor.segment();
        for (int i = 0; i < count; i++) {
            long base = (from + i) * perImage;
            if (input.layout() == Layout.NHWC && tensor.channelStride() == c) {
                MemorySegment.copy(input.data(), input.element(), base * Float.BYTES, target, ValueLayout.JAVA_FLOAT,
                        tensor.byteOffset(i, 0, 0, 0), perImage);
                checkFinite(input, base, perImage, h, w, c, from + i);
                continue;
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    long at = tensor.byteOffset(i, y, x, 0);
                    for (int ch = 0; ch < c; ch++) {
                        long index = input.layout() == Layout.NCHW
                                ? base + ((long) ch * h + y) * w + x
                                : base + ((long) y * w + x) * c + ch;
                        float v = input.get(index);
                        if (!Float.isFinite(v)) {
                            throw notFinite(v, from + i, ch, y, x);
                        }
                        target.set(ValueLayout.JAVA_FLOAT, at + (long) ch * Float.BYTES, v);
                    }
                }
            }
        }
    }

    private static void checkFinite(ImageTensor input, long base, long count, int h, int w, int c, int image) {
        for (long k = 0; k < count; k++) {
            float v = input.get(base + k);
            if (!Float.isFinite(v)) {
                long pixel = k / c;
                throw notFinite(v, image, (int) (k % c), (int) (pixel / w), (int) (pixel % w));
            }
        }
    }

    private static IllegalArgumentException notFinite(float v, int image, int channel, int y, int x) {
        return new IllegalArgumentException("input value of image " + image + " at channel " + channel + ", row " + y
                + ", column " + x + " is " + v + ": inputs must be finite");
    }
}

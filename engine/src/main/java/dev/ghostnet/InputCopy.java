package dev.ghostnet;

import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies caller images into a session's NHWC input tensor, once, and refuses non-finite values: a NaN in
 * the input would come out as NaN logits, which {@link Predictions} refuses anyway, so it is named here
 * where it can still be placed. One per session: its two row buffers are made once, so a copy allocates
 * nothing.
 *
 * <p>Row by row, with bulk copies only: an image row's {@code C} source rows (NCHW) or its one interleaved
 * row (NHWC) come in with {@link MemorySegment#copy}, which handles the caller's byte order; the NCHW rows
 * are interleaved in {@link #row} on the heap; the finished row goes out with one more copy. Why: the
 * element-wise copy through the segments (a bounds-checked get and set per float, the layout tested per
 * float) took ~1.5 ms of a 224x224 image, a quarter of an inference on one thread.
 */
final class InputCopy {
    /** One image row of the source, channel by channel (NCHW: {@code [c][x]}). */
    private final float[] planes;
    /** One image row of the target, interleaved: {@code [x][c]}. */
    private final float[] row;

    /** Buffers for images of {@code width} pixels of {@code channels} channels. */
    InputCopy(int width, int channels) {
        this.planes = new float[width * channels];
        this.row = new float[width * channels];
    }

    /**
     * Copies images {@code from .. from + count - 1} of {@code input} into slots {@code 0 .. count - 1} of
     * {@code tensor}, whose height, width and channels give each image's shape.
     */
    void copy(ImageTensor input, int from, int count, Tensor tensor) {
        int h = tensor.height();
        int w = tensor.width();
        int c = tensor.channels();
        if (row.length != w * c) {
            throw new IllegalArgumentException("input copy made for rows of " + row.length + " floats, the tensor "
                    + tensor + " has " + w * c);
        }
        MemorySegment source = input.data();
        ValueLayout.OfFloat element = input.element();
        MemorySegment target = tensor.segment();
        boolean dense = tensor.channelStride() == c;
        long pixel = (long) tensor.channelStride() * Float.BYTES;
        long perImage = (long) h * w * c;
        for (int i = 0; i < count; i++) {
            int image = from + i;
            long base = (long) image * perImage * Float.BYTES;
            for (int y = 0; y < h; y++) {
                if (input.layout() == Layout.NCHW) {
                    for (int ch = 0; ch < c; ch++) {
                        long at = base + ((long) ch * h + y) * w * Float.BYTES;
                        MemorySegment.copy(source, element, at, planes, ch * w, w);
                    }
                    interleave(w, c);
                } else {
                    MemorySegment.copy(source, element, base + (long) y * w * c * Float.BYTES, row, 0, w * c);
                }
                checkFinite(image, y, w, c);
                long out = tensor.byteOffset(i, y, 0, 0);
                if (dense) {
                    MemorySegment.copy(row, 0, target, ValueLayout.JAVA_FLOAT, out, w * c);
                } else {
                    for (int x = 0; x < w; x++) {
                        MemorySegment.copy(row, x * c, target, ValueLayout.JAVA_FLOAT, out + x * pixel, c);
                    }
                }
            }
        }
    }

    private void interleave(int w, int c) {
        float[] in = planes;
        float[] out = row;
        if (c == 3) { // RGB, every image: one sequential pass over the row instead of three strided ones
            for (int x = 0; x < w; x++) {
                out[3 * x] = in[x];
                out[3 * x + 1] = in[w + x];
                out[3 * x + 2] = in[2 * w + x];
            }
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * w;
            for (int x = 0; x < w; x++) {
                out[x * c + ch] = in[plane + x];
            }
        }
    }

    private void checkFinite(int image, int y, int w, int c) {
        float[] values = row;
        for (int k = 0; k < w * c; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IllegalArgumentException("input value of image " + image + " at channel " + k % c
                        + ", row " + y + ", column " + k / c + " is " + values[k] + ": inputs must be finite");
            }
        }
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WindowDepthwiseConv} vectorised across channels: per output pixel and vector of channels, the bias plus
 * the taps whose input pixel lies inside the image (the window is clipped once per pixel, so no tap is tested),
 * then ReLU and the residual. A template specialised per vector width by {@link VectorSpecialization}.
 *
 * <p>Packed weights (off-heap, 64-byte aligned): one block per vector of channels,
 * {@code [bias c0..c0+lanes) [tap 0] ... [tap kh*kw-1]}, tap t = kh*kernelWidth + kw, each {@code lanes} floats;
 * channels past the last one are zero, so weight loads are never masked. The last vector of channels is masked
 * when the count is not a multiple of the lanes. Tensors: (n, h, w, c) at float
 * {@code ((n*H + h)*W + w)*channelStride + c}, each tensor with its own stride.
 */
final class VectorWindowDepthwiseConv implements WindowDepthwiseConv {
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final int channels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int stride;
    private final int padHeight;
    private final int padWidth;
    private final boolean relu;
    private final MemorySegment packed;
    private final long blockBytes;

    /** Builds this template's specialised copy; VectorSpecialization derives the constructor type from it. */
    interface Factory {
        WindowDepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int kernelHeight,
                                   int kernelWidth, int stride, int padHeight, int padWidth, Activation activation);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static WindowDepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int kernelHeight,
                                      int kernelWidth, int stride, int padHeight, int padWidth, Activation activation) {
        return new VectorWindowDepthwiseConv(arena, weights, bias, channels, kernelHeight, kernelWidth, stride,
                padHeight, padWidth, activation);
    }

    private VectorWindowDepthwiseConv(Arena arena, float[] weights, float[] bias, int channels, int kernelHeight,
                                      int kernelWidth, int stride, int padHeight, int padWidth, Activation activation) {
        this.channels = channels;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.padHeight = padHeight;
        this.padWidth = padWidth;
        this.relu = activation == Activation.RELU;
        int taps = kernelHeight * kernelWidth;
        int blocks = (channels + LANES - 1) / LANES;
        this.blockBytes = (taps + 1L) * VECTOR_BYTES;
        this.packed = arena.allocate(blocks * blockBytes, Tensor.ALIGNMENT);
        for (int c = 0; c < channels; c++) {
            long block = (c / LANES) * blockBytes + (long) (c % LANES) * Float.BYTES;
            packed.set(ValueLayout.JAVA_FLOAT, block, bias[c]);
            for (int t = 0; t < taps; t++) {
                packed.set(ValueLayout.JAVA_FLOAT, block + (t + 1L) * VECTOR_BYTES, weights[c * taps + t]);
            }
        }
    }

    public int channels() { return channels; }
    public int kernelHeight() { return kernelHeight; }
    public int kernelWidth() { return kernelWidth; }
    public int stride() { return stride; }
    public int padHeight() { return padHeight; }
    public int padWidth() { return padWidth; }

    @Override
    public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
        assert in.channels() == channels && out.channels() == channels && in.batch() == out.batch()
                && out.height() == outputHeight(in.height()) && out.width() == outputWidth(in.width())
                : in + " -> " + out;
        assert residual == null || residual.sameShape(out) : residual + " vs " + out;
        assert 0 <= rowFrom && rowFrom <= rowTo && rowTo <= out.batch() * out.height() : rowFrom + ".." + rowTo;
        MemorySegment src = in.segment();
        MemorySegment dst = out.segment();
        MemorySegment res = residual == null ? null : residual.segment();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long inRow = in.width() * inPixel;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        long resPixel = residual == null ? 0 : (long) residual.channelStride() * Float.BYTES;
        int outH = out.height();
        int outW = out.width();
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / outH;
            int oh = row % outH;
            int top = oh * stride - padHeight;
            int khFrom = Math.max(0, -top);
            int khTo = Math.min(kernelHeight, in.height() - top);
            long image = (long) n * in.height() * inRow;
            for (int ow = 0; ow < outW; ow++) {
                int left = ow * stride - padWidth;
                int kwFrom = Math.max(0, -left);
                int kwTo = Math.min(kernelWidth, in.width() - left);
                long origin = image + top * inRow + left * inPixel;
                long o = (long) row * outW + ow;
                for (int c = 0; c < channels; c += LANES) {
                    long cb = (long) c * Float.BYTES;
                    long weights = (c / LANES) * blockBytes;
                    VectorMask<Float> mask = c + LANES <= channels ? null : SPECIES.indexInRange(c, channels);
                    FloatVector acc = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
                    for (int kh = khFrom; kh < khTo; kh++) {
                        for (int kw = kwFrom; kw < kwTo; kw++) {
                            long at = origin + kh * inRow + kw * inPixel + cb;
                            FloatVector x = mask == null
                                    ? FloatVector.fromMemorySegment(SPECIES, src, at, ORDER)
                                    : FloatVector.fromMemorySegment(SPECIES, src, at, ORDER, mask);
                            FloatVector w = FloatVector.fromMemorySegment(SPECIES, packed,
                                    weights + (kh * kernelWidth + kw + 1L) * VECTOR_BYTES, ORDER);
                            acc = x.fma(w, acc);
                        }
                    }
                    if (relu) {
                        acc = acc.blend(zero, acc.compare(VectorOperators.LE, zero));
                    }
                    if (mask == null) {
                        if (res != null) {
                            acc = acc.add(FloatVector.fromMemorySegment(SPECIES, res, o * resPixel + cb, ORDER));
                        }
                        acc.intoMemorySegment(dst, o * outPixel + cb, ORDER);
                    } else {
                        if (res != null) {
                            acc = acc.add(FloatVector.fromMemorySegment(SPECIES, res, o * resPixel + cb, ORDER, mask));
                        }
                        acc.intoMemorySegment(dst, o * outPixel + cb, ORDER, mask);
                    }
                }
            }
        }
    }
}

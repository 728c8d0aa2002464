package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense (groups = 1) k x k convolution, "same" padding k/2, stride 1 or 2, vectorised over output channels,
 * fused bias and activation: the network's stem (3x3 stride 2, 3 -> 16). A template specialised per
 * vector width by {@link VectorSpecialization}.
 *
 * <p>Packed weights (off-heap, 64-byte aligned): one block per vector of output channels,
 * {@code [bias o0..o0+lanes) [tap(kh=0, kw=0, ci=0)] [tap(0, 0, 1)] ... [tap(k-1, k-1, Cin-1)]}, each
 * {@code lanes} floats: per output pixel the kernel walks the window row by row, and within one window
 * position the input channels are contiguous in NHWC, so weights and inputs stream in the same order.
 * Output channels past Cout are zero in the last block.
 *
 * <p>Interior output columns (window inside the image) run {@value #WIDE_TILE_PIXELS} pixels at a time for a
 * 3-channel input (the stem: channel loop written out, 8 independent FMA chains per weight load) and
 * {@value #TILE_PIXELS} otherwise, one accumulator each, so the FMA chains (k*k*Cin long) overlap; border
 * columns take the clipped path.
 */
final class VectorDenseConv implements DenseConv {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final int TILE_PIXELS = 4;
    private static final int WIDE_TILE_PIXELS = 8;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean relu;
    private final MemorySegment packed;
    private final long blockBytes;
    private final VectorMask<Float> tailMask;
    private final VectorMask<Float> allLanes;

    /** The type of {@link #create}, implemented per width by {@link VectorSpecialization#factory}. */
    interface Factory {
        DenseConv create(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels, int kernelSize,
                         int stride, Activation activation);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static DenseConv create(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels, int kernelSize,
                            int stride, Activation activation) {
        return new VectorDenseConv(arena, weights, bias, inChannels, outChannels, kernelSize, stride, activation);
    }

    private VectorDenseConv(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                            int kernelSize, int stride, Activation activation) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = kernelSize / 2;
        this.relu = activation == Activation.RELU;
        int rows = kernelSize * kernelSize * inChannels;
        this.blockBytes = Packing.blockBytes(rows, LANES);
        this.packed = Packing.blocks(arena, Packing.windowMajor(weights, inChannels, outChannels, kernelSize), bias,
                outChannels, rows, LANES);
        this.tailMask = SPECIES.indexInRange(0, Packing.lastBlockOutputs(outChannels, LANES));
        this.allLanes = SPECIES.maskAll(true);
    }

    @Override
    public int inChannels() {
        return inChannels;
    }

    @Override
    public int outChannels() {
        return outChannels;
    }

    @Override
    public int kernelSize() {
        return kernelSize;
    }

    @Override
    public int stride() {
        return stride;
    }

    @Override
    public void run(Tensor in, Tensor out, int rowFrom, int rowTo) {
        assert in.channels() == inChannels && out.channels() == outChannels && in.batch() == out.batch() : in + " -> " + out;
        assert out.height() == outputSize(in.height()) && out.width() == outputSize(in.width()) : in + " -> " + out;
        assert 0 <= rowFrom && rowFrom <= rowTo && rowTo <= out.batch() * out.height() : rowFrom + ".." + rowTo;
        int k = kernelSize;
        int inH = in.height();
        int inW = in.width();
        int outH = out.height();
        int outW = out.width();
        MemorySegment inSeg = in.segment();
        MemorySegment outSeg = out.segment();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long inRow = inW * inPixel;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        int owFrom = ConvGeometry.interiorFrom(outW, stride, padding);
        int owTo = ConvGeometry.interiorTo(inW, outW, k, stride, padding);
        int blocks = (outChannels + LANES - 1) / LANES;
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / outH;
            int ih0 = (row % outH) * stride - padding;
            int khFrom = Math.max(0, -ih0);
            int khTo = Math.min(k, inH - ih0);
            long inBase = ((long) n * inH + ih0) * inRow;
            long outBase = (long) row * outW * outPixel;
            for (int b = 0; b < blocks; b++) {
                long weights = b * blockBytes;
                long o = outBase + b * VECTOR_BYTES;
                VectorMask<Float> mask = b == blocks - 1 ? tailMask : allLanes;
                int ow = 0;
                for (; ow < owFrom; ow++) {
                    general(inSeg, inBase, inPixel, inRow, inW, outSeg, o + ow * outPixel, weights, ow, khFrom, khTo,
                            mask);
                }
                for (; inChannels == 3 && mask == allLanes && ow + WIDE_TILE_PIXELS <= owTo;
                        ow += WIDE_TILE_PIXELS) {
                    tile8rgb(inSeg, inBase + (long) (ow * stride - padding) * inPixel, inPixel, inRow, outSeg,
                            o + ow * outPixel, outPixel, weights, khFrom, khTo);
                }
                for (; ow + TILE_PIXELS <= owTo; ow += TILE_PIXELS) {
                    tile4(inSeg, inBase + (long) (ow * stride - padding) * inPixel, inPixel, inRow, outSeg,
                            o + ow * outPixel, outPixel, weights, khFrom, khTo, mask);
                }
                for (; ow < outW; ow++) {
                    general(inSeg, inBase, inPixel, inRow, inW, outSeg, o + ow * outPixel, weights, ow, khFrom, khTo,
                            mask);
                }
            }
        }
    }

    /** One output pixel, window clipped to kernel rows [khFrom, khTo) and to the image's columns. */
    private void general(MemorySegment in, long inBase, long inPixel, long inRow, int inW, MemorySegment out, long o,
                         long weights, int ow, int khFrom, int khTo, VectorMask<Float> mask) {
        int k = kernelSize;
        int iw0 = ow * stride - padding;
        int kwFrom = Math.max(0, -iw0);
        int kwTo = Math.min(k, inW - iw0);
        long tapBytes = (long) inChannels * VECTOR_BYTES;
        FloatVector acc = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        for (int kh = khFrom; kh < khTo; kh++) {
            for (int kw = kwFrom; kw < kwTo; kw++) {
                long x = inBase + kh * inRow + (long) (iw0 + kw) * inPixel;
                long w = weights + VECTOR_BYTES + ((long) kh * k + kw) * tapBytes;
                for (int i = 0; i < inChannels; i++, x += Float.BYTES, w += VECTOR_BYTES) {
                    acc = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER)
                            .fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, x)), acc);
                }
            }
        }
        if (relu) {
            acc = acc.max(FloatVector.zero(SPECIES));
        }
        acc.intoMemorySegment(out, o, ORDER, mask);
    }

    // Deliberate unrolls: tile4 and tile8rgb repeat each other's shape on purpose (one accumulator per pixel,
    // written out; a helper taking a vector would box it, see tile8rgb).

    /** Four horizontally adjacent output pixels whose windows lie inside the image's columns. */
    private void tile4(MemorySegment in, long x0, long inPixel, long inRow, MemorySegment out, long o,
                       long outPixel, long weights, int khFrom, int khTo, VectorMask<Float> mask) {
        int k = kernelSize;
        long step = stride * inPixel;
        long tapBytes = (long) inChannels * VECTOR_BYTES;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int kh = khFrom; kh < khTo; kh++) {
            // (kw, ci) walked explicitly: a window row's pixels are contiguous only when channelStride == Cin.
            long w = weights + VECTOR_BYTES + (long) kh * k * tapBytes;
            for (int kw = 0; kw < k; kw++) {
                long x = x0 + kh * inRow + kw * inPixel;
                for (int i = 0; i < inChannels; i++, x += Float.BYTES, w += VECTOR_BYTES) {
                    FloatVector wv = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER);
                    c0 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, x)), c0);
                    c1 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, x + step)), c1);
                    c2 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, x + 2 * step)), c2);
                    c3 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, x + 3 * step)), c3);
                }
            }
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            c2 = c2.max(zero);
            c3 = c3.max(zero);
        }
        c0.intoMemorySegment(out, o, ORDER, mask);
        c1.intoMemorySegment(out, o + outPixel, ORDER, mask);
        c2.intoMemorySegment(out, o + 2 * outPixel, ORDER, mask);
        c3.intoMemorySegment(out, o + 3 * outPixel, ORDER, mask);
    }

    /**
     * Eight horizontally adjacent output pixels of a 3-channel input (the stem): per window position the three
     * channels' weight vectors are loaded once and each feeds eight independent FMAs (one accumulator per
     * pixel), the channel loop written out so the only loops are the window's rows and columns.
     */
    private void tile8rgb(MemorySegment in, long x0, long inPixel, long inRow, MemorySegment out, long o,
                          long outPixel, long weights, int khFrom, int khTo) {
        MemorySegment w = packed;
        int k = kernelSize;
        long step = stride * inPixel;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int kh = khFrom; kh < khTo; kh++) {
            long wt = weights + VECTOR_BYTES + (long) kh * k * 3 * VECTOR_BYTES;
            for (int kw = 0; kw < k; kw++, wt += 3 * VECTOR_BYTES) {
                long x = x0 + kh * inRow + kw * inPixel;
                for (int i = 0; i < 3; i++) {
                    FloatVector wv = FloatVector.fromMemorySegment(SPECIES, w, wt + i * VECTOR_BYTES, ORDER);
                    long xi = x + i * Float.BYTES;
                    c0 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi)), c0);
                    c1 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + step)), c1);
                    c2 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 2 * step)), c2);
                    c3 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 3 * step)), c3);
                    c4 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 4 * step)), c4);
                    c5 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 5 * step)), c5);
                    c6 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 6 * step)), c6);
                    c7 = wv.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT, xi + 7 * step)), c7);
                }
            }
        }
        // Full vectors only, stores unmasked and written out: with eight masked stores C2 did not finish
        // compiling this tile (it stayed in C1 code at 0.4 G MAC/s), and a helper taking a vector is no longer
        // inlined once it is compiled on its own, which boxes every vector passed to it.
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            c2 = c2.max(zero);
            c3 = c3.max(zero);
            c4 = c4.max(zero);
            c5 = c5.max(zero);
            c6 = c6.max(zero);
            c7 = c7.max(zero);
        }
        c0.intoMemorySegment(out, o, ORDER);
        c1.intoMemorySegment(out, o + outPixel, ORDER);
        c2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        c3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
        c4.intoMemorySegment(out, o + 4 * outPixel, ORDER);
        c5.intoMemorySegment(out, o + 5 * outPixel, ORDER);
        c6.intoMemorySegment(out, o + 6 * outPixel, ORDER);
        c7.intoMemorySegment(out, o + 7 * outPixel, ORDER);
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
 * <p>Row ring ({@link RowRing}, per thread): the k input rows of the current output row, slot
 * {@code (padded row) % k}, each {@code (W + 2*(k/2)) * Cin} floats, {@code [pad pixels][pixel 0: ci 0..Cin)
 * ... [pad pixels]}, zero rows above and below the image. Reading the tensor directly, every broadcast had its
 * own bounds check (the pixel stride is a runtime value, and C2 hoists a check out of a loop only for a
 * constant index scale); in the ring a 3-channel input has the constant pixel stride 3, and the padding makes
 * every column an interior one. Output columns run {@value #WIDE_TILE_PIXELS} at a time for a 3-channel input
 * (8 independent FMA chains per weight load), one at a time otherwise and for the row's remainder.
 */
final class VectorDenseConv implements DenseConv {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
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
    /** Whether the last vector of output channels is partial ({@link #tailMask} not all lanes). */
    private final boolean partialTail;

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
        this.partialTail = Packing.lastBlockOutputs(outChannels, LANES) < LANES;
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
        long outPixel = (long) out.channelStride() * Float.BYTES;
        int rowFloats = (inW + 2 * padding) * inChannels;
        RowRing ring = RowRing.get(k * rowFloats, k);
        float[] rows = ring.rows;
        int[] bases = ring.bases;
        ring.forget(k);
        int paddedH = inH + 2 * padding;
        int blocks = (outChannels + LANES - 1) / LANES;
        boolean wide = inChannels == 3 && k == 3;
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / outH;
            int top = (row % outH) * stride;
            for (int kh = 0; kh < k; kh++) {
                int padded = top + kh;
                int at = ring.place(kh, padded, n * paddedH + padded, k, rowFloats);
                if (at >= 0) {
                    int ih = padded - padding;
                    copyRow(inSeg, ((long) n * inH + ih) * inW * inPixel, inPixel, inW, ih < 0 || ih >= inH, rows,
                            at);
                }
            }
            long outBase = (long) row * outW * outPixel;
            for (int b = 0; b < blocks; b++) {
                long weights = b * blockBytes;
                long o = outBase + b * VECTOR_BYTES;
                boolean tail = b == blocks - 1 && partialTail;
                int ow = 0;
                if (wide && !tail) {
                    for (; ow + WIDE_TILE_PIXELS <= outW; ow += WIDE_TILE_PIXELS) {
                        if (stride == 1) {
                            tile8rgbStride1(rows, bases[0], bases[1], bases[2], ow * 3, outSeg, o + ow * outPixel,
                                    outPixel, weights);
                        } else {
                            tile8rgbStride2(rows, bases[0], bases[1], bases[2], ow * 6, outSeg, o + ow * outPixel,
                                    outPixel, weights);
                        }
                    }
                }
                for (; ow < outW; ow++) {
                    pixel(rows, bases, ow * stride * inChannels, outSeg, o + ow * outPixel, weights, tail);
                }
            }
        }
    }

    /** Copies one input row, all channels, into a ring slot with its zero padding (or a zero row). */
    private void copyRow(MemorySegment in, long from, long inPixel, int inW, boolean outside, float[] rows, int at) {
        int pad = padding * inChannels;
        int end = at + (inW + 2 * padding) * inChannels;
        if (outside) {
            Arrays.fill(rows, at, end, 0f);
            return;
        }
        Arrays.fill(rows, at, at + pad, 0f);
        Arrays.fill(rows, end - pad, end, 0f);
        if (inPixel == (long) inChannels * Float.BYTES) {
            MemorySegment.copy(in, FLOAT, from, rows, at + pad, inW * inChannels);
        } else {
            for (int x = 0; x < inW; x++) {
                MemorySegment.copy(in, FLOAT, from + x * inPixel, rows, at + pad + x * inChannels, inChannels);
            }
        }
    }

    /** One output pixel from the ring: window column {@code c0} (a float index within a ring row). */
    private void pixel(float[] rows, int[] bases, int c0, MemorySegment out, long o, long weights, boolean tail) {
        int k = kernelSize;
        int windowRow = k * inChannels;
        FloatVector acc = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        long w = weights + VECTOR_BYTES;
        for (int kh = 0; kh < k; kh++) {
            int x = bases[kh] + c0;
            for (int i = 0; i < windowRow; i++, w += VECTOR_BYTES) {
                acc = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, rows[x + i]), acc);
            }
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            acc = acc.blend(zero, acc.compare(VectorOperators.LE, zero));
        }
        if (tail) {
            acc.intoMemorySegment(out, o, ORDER, tailMask);
        } else {
            acc.intoMemorySegment(out, o, ORDER);
        }
    }

    // Deliberate unrolls: the two stem tiles differ only in their column scale (a constant each) and repeat
    // their eight accumulators on purpose: a helper taking a vector is no longer inlined once it is compiled on
    // its own, which boxes every vector passed to it. One tile taking the pixel step as a parameter measured
    // 12% slower alone (188 against 167 us at 224x224).

    /**
     * Eight adjacent output pixels of a 3x3, 3-channel, stride-1 layer from ring rows r0..r2, starting at ring
     * float {@code c0}: per tap one weight vector feeds eight independent FMAs.
     */
    private void tile8rgbStride1(float[] rows, int r0, int r1, int r2, int c0, MemorySegment out, long o,
                                 long outPixel, long weights) {
        MemorySegment w = packed;
        FloatVector c = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        long wt = weights + VECTOR_BYTES;
        for (int kh = 0; kh < 3; kh++) {
            int x0 = (kh == 0 ? r0 : kh == 1 ? r1 : r2) + c0;
            for (int t = 0; t < 9; t++, wt += VECTOR_BYTES) {
                FloatVector wv = FloatVector.fromMemorySegment(SPECIES, w, wt, ORDER);
                int x = x0 + t;
                a0 = wv.fma(FloatVector.broadcast(SPECIES, rows[x]), a0);
                a1 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 3]), a1);
                a2 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 6]), a2);
                a3 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 9]), a3);
                a4 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 12]), a4);
                a5 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 15]), a5);
                a6 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 18]), a6);
                a7 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 21]), a7);
            }
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            a0 = a0.blend(zero, a0.compare(VectorOperators.LE, zero));
            a1 = a1.blend(zero, a1.compare(VectorOperators.LE, zero));
            a2 = a2.blend(zero, a2.compare(VectorOperators.LE, zero));
            a3 = a3.blend(zero, a3.compare(VectorOperators.LE, zero));
            a4 = a4.blend(zero, a4.compare(VectorOperators.LE, zero));
            a5 = a5.blend(zero, a5.compare(VectorOperators.LE, zero));
            a6 = a6.blend(zero, a6.compare(VectorOperators.LE, zero));
            a7 = a7.blend(zero, a7.compare(VectorOperators.LE, zero));
        }
        a0.intoMemorySegment(out, o, ORDER);
        a1.intoMemorySegment(out, o + outPixel, ORDER);
        a2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        a3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
        a4.intoMemorySegment(out, o + 4 * outPixel, ORDER);
        a5.intoMemorySegment(out, o + 5 * outPixel, ORDER);
        a6.intoMemorySegment(out, o + 6 * outPixel, ORDER);
        a7.intoMemorySegment(out, o + 7 * outPixel, ORDER);
    }

    /** {@link #tile8rgbStride1} at stride 2: adjacent output pixels are 6 ring floats apart. */
    private void tile8rgbStride2(float[] rows, int r0, int r1, int r2, int c0, MemorySegment out, long o,
                                 long outPixel, long weights) {
        MemorySegment w = packed;
        FloatVector c = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        long wt = weights + VECTOR_BYTES;
        for (int kh = 0; kh < 3; kh++) {
            int x0 = (kh == 0 ? r0 : kh == 1 ? r1 : r2) + c0;
            for (int t = 0; t < 9; t++, wt += VECTOR_BYTES) {
                FloatVector wv = FloatVector.fromMemorySegment(SPECIES, w, wt, ORDER);
                int x = x0 + t;
                a0 = wv.fma(FloatVector.broadcast(SPECIES, rows[x]), a0);
                a1 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 6]), a1);
                a2 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 12]), a2);
                a3 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 18]), a3);
                a4 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 24]), a4);
                a5 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 30]), a5);
                a6 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 36]), a6);
                a7 = wv.fma(FloatVector.broadcast(SPECIES, rows[x + 42]), a7);
            }
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            a0 = a0.blend(zero, a0.compare(VectorOperators.LE, zero));
            a1 = a1.blend(zero, a1.compare(VectorOperators.LE, zero));
            a2 = a2.blend(zero, a2.compare(VectorOperators.LE, zero));
            a3 = a3.blend(zero, a3.compare(VectorOperators.LE, zero));
            a4 = a4.blend(zero, a4.compare(VectorOperators.LE, zero));
            a5 = a5.blend(zero, a5.compare(VectorOperators.LE, zero));
            a6 = a6.blend(zero, a6.compare(VectorOperators.LE, zero));
            a7 = a7.blend(zero, a7.compare(VectorOperators.LE, zero));
        }
        a0.intoMemorySegment(out, o, ORDER);
        a1.intoMemorySegment(out, o + outPixel, ORDER);
        a2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        a3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
        a4.intoMemorySegment(out, o + 4 * outPixel, ORDER);
        a5.intoMemorySegment(out, o + 5 * outPixel, ORDER);
        a6.intoMemorySegment(out, o + 6 * outPixel, ORDER);
        a7.intoMemorySegment(out, o + 7 * outPixel, ORDER);
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise k x k convolution, "same" padding k/2, stride 1 or 2, vectorised across channels (one vector of
 * channels per step), fused bias / ReLU / residual. A template specialised per vector width by
 * {@link VectorSpecialization}. One instance may cover only a channel range of the tensors (see the
 * constructor): {@link VectorKernels#depthwise} runs channel tails as full vectors of a narrower width, so
 * the masked tail path is left for channel counts that are not a multiple of 4.
 *
 * <p>Packed weights (off-heap, 64-byte aligned): one block per vector of channels,
 * {@code [bias c0..c0+lanes) [tap 0] ... [tap k*k-1]}, tap t = kh*k + kw, each {@code lanes} floats; channels
 * past the last one are zero, so weight loads are never masked.
 *
 * <p>Per output row: rows whose window is wholly inside the image (and whose full-vector loads stay inside
 * the segments) run the interior columns through unmasked kernels for 3x3 (weights in registers) and 5x5
 * (weights read from the packed block); border columns, border rows and other kernel sizes take the general
 * path that clips the window and masks the channel tail. Tensors: (n, h, w, c) at float
 * {@code ((n*H + h)*W + w)*channelStride + c}, each tensor with its own stride.
 */
final class VectorDepthwiseConv implements DepthwiseConv {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final int channels;
    private final long channelOffsetBytes;
    private final int totalChannels;
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
        DepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int channelOffset,
                             int totalChannels, int kernelSize, int stride, Activation activation);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static DepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int channelOffset,
                                int totalChannels, int kernelSize, int stride, Activation activation) {
        return new VectorDepthwiseConv(arena, weights, bias, channels, channelOffset, totalChannels, kernelSize,
                stride, activation);
    }

    /**
     * An op over channels {@code [channelOffset, channelOffset + channels)} of tensors with {@code totalChannels}
     * channels ({@code weights} and {@code bias} hold only this op's channels), so one layer can be split into
     * pieces of different widths: see {@link VectorKernels#depthwise}.
     */
    private VectorDepthwiseConv(Arena arena, float[] weights, float[] bias, int channels, int channelOffset,
                                int totalChannels, int kernelSize, int stride, Activation activation) {
        this.channels = channels;
        this.channelOffsetBytes = (long) channelOffset * Float.BYTES;
        this.totalChannels = totalChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = kernelSize / 2;
        this.relu = activation == Activation.RELU;
        int taps = kernelSize * kernelSize;
        this.blockBytes = Packing.blockBytes(taps, LANES);
        this.packed = Packing.blocks(arena, weights, bias, channels, taps, LANES);
        this.tailMask = SPECIES.indexInRange(0, Packing.lastBlockOutputs(channels, LANES));
        this.allLanes = SPECIES.maskAll(true);
    }

    @Override
    public int channels() {
        return channels;
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
    public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
        assert in.channels() == totalChannels && out.channels() == totalChannels && in.batch() == out.batch()
                : in + " -> " + out;
        assert out.height() == outputSize(in.height()) && out.width() == outputSize(in.width()) : in + " -> " + out;
        assert residual == null || residual.sameShape(out) : residual + " vs " + out;
        assert 0 <= rowFrom && rowFrom <= rowTo && rowTo <= out.batch() * out.height() : rowFrom + ".." + rowTo;
        int k = kernelSize;
        int inH = in.height();
        int inW = in.width();
        int outH = out.height();
        int outW = out.width();
        MemorySegment inSeg = in.readable();
        MemorySegment outSeg = out.segment();
        MemorySegment resSeg = residual == null ? null : residual.readable();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long inRow = inW * inPixel;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        long resPixel = residual == null ? 0 : (long) residual.channelStride() * Float.BYTES;
        // Interior columns: the whole window inside the image, 0 <= ow*s - p and ow*s - p + k - 1 <= W - 1.
        int owFrom = ConvGeometry.interiorFrom(outW, stride, padding);
        int owTo = ConvGeometry.interiorTo(inW, outW, k, stride, padding);
        boolean unrolled = k == 3 || k == 5;
        int blocks = (channels + LANES - 1) / LANES;
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / outH;
            int ih0 = (row % outH) * stride - padding;
            int khFrom = Math.max(0, -ih0);
            int khTo = Math.min(k, inH - ih0);
            // Byte offset of input (n, ih0, 0, 0); ih0 may be negative, only rows kh >= khFrom are read.
            long inBase = ((long) n * inH + ih0) * inRow;
            long outBase = (long) row * outW * outPixel;
            long resBase = residual == null ? 0 : (long) row * outW * resPixel;
            boolean fullRows = khFrom == 0 && khTo == k;
            for (int b = 0; b < blocks; b++) {
                long channelByte = channelOffsetBytes + b * VECTOR_BYTES;
                long weights = b * blockBytes;
                VectorMask<Float> mask = b == blocks - 1 ? tailMask : allLanes;
                // The interior loads run unmasked (a partially masked load is ~10x slower): in a tail block the
                // extra lanes read the next pixel's channels, are computed lane by lane like the others and never
                // stored. So a row takes the interior path only where full vectors stay inside the segments;
                // the rest goes through the masked general path.
                long lastRead = inBase + (long) (khTo - 1) * inRow + (inW - 1) * inPixel + channelByte;
                boolean fullLoadsFit = lastRead + VECTOR_BYTES <= inSeg.byteSize() && (resSeg == null
                        || resBase + (outW - 1) * resPixel + channelByte + VECTOR_BYTES <= resSeg.byteSize());
                int generalFrom = unrolled && fullRows && fullLoadsFit ? owFrom : outW;
                for (int ow = 0; ow < Math.min(generalFrom, outW); ow++) {
                    general(inSeg, inBase + channelByte, inPixel, inRow, inW, outSeg, outBase + channelByte,
                            outPixel, resSeg, resBase + channelByte, resPixel, weights, ow, khFrom, khTo, mask);
                }
                if (generalFrom < outW) {
                    if (k == 3) {
                        interior3(inSeg, inBase + channelByte, inPixel, inRow, outSeg, outBase + channelByte,
                                outPixel, resSeg, resBase + channelByte, resPixel, weights, owFrom, owTo, mask);
                    } else {
                        interior5(inSeg, inBase + channelByte, inPixel, inRow, outSeg, outBase + channelByte,
                                outPixel, resSeg, resBase + channelByte, resPixel, weights, owFrom, owTo, mask);
                    }
                    for (int ow = owTo; ow < outW; ow++) {
                        general(inSeg, inBase + channelByte, inPixel, inRow, inW, outSeg, outBase + channelByte,
                                outPixel, resSeg, resBase + channelByte, resPixel, weights, ow, khFrom, khTo, mask);
                    }
                }
            }
        }
    }

    /** One output pixel with its window clipped to kernel rows [khFrom, khTo) and the image's columns. */
    private void general(MemorySegment in, long inBase, long inPixel, long inRow, int inW, MemorySegment out,
                         long outBase, long outPixel, MemorySegment res, long resBase, long resPixel, long weights,
                         int ow, int khFrom, int khTo, VectorMask<Float> mask) {
        int k = kernelSize;
        int iw0 = ow * stride - padding;
        int kwFrom = Math.max(0, -iw0);
        int kwTo = Math.min(k, inW - iw0);
        FloatVector acc = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        for (int kh = khFrom; kh < khTo; kh++) {
            long rowStart = inBase + kh * inRow + (long) iw0 * inPixel;
            long tap = weights + (1 + (long) kh * k) * VECTOR_BYTES;
            for (int kw = kwFrom; kw < kwTo; kw++) {
                FloatVector x = FloatVector.fromMemorySegment(SPECIES, in, rowStart + kw * inPixel, ORDER, mask);
                acc = x.fma(FloatVector.fromMemorySegment(SPECIES, packed, tap + kw * VECTOR_BYTES, ORDER), acc);
            }
        }
        if (relu) {
            acc = acc.max(FloatVector.zero(SPECIES));
        }
        if (res != null) {
            acc = acc.add(FloatVector.fromMemorySegment(SPECIES, res, resBase + ow * resPixel, ORDER, mask));
        }
        store(acc, out, outBase + ow * outPixel, mask);
    }

    // Deliberate unrolls: interior3 and interior5 share their column loop on purpose; it holds vectors, and a
    // helper taking or returning vectors across that loop would box them.

    /** Columns [owFrom, owTo) of a row whose 3x3 window lies wholly inside the image: all 9 taps unrolled,
     *  weights held in registers, two accumulators (even and odd kernel rows) to halve the FMA chain. */
    private void interior3(MemorySegment in, long inBase, long inPixel, long inRow, MemorySegment out, long outBase,
                           long outPixel, MemorySegment res, long resBase, long resPixel, long weights,
                           int owFrom, int owTo, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, weights + 1 * VECTOR_BYTES, ORDER);
        FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, weights + 2 * VECTOR_BYTES, ORDER);
        FloatVector w2 = FloatVector.fromMemorySegment(SPECIES, w, weights + 3 * VECTOR_BYTES, ORDER);
        FloatVector w3 = FloatVector.fromMemorySegment(SPECIES, w, weights + 4 * VECTOR_BYTES, ORDER);
        FloatVector w4 = FloatVector.fromMemorySegment(SPECIES, w, weights + 5 * VECTOR_BYTES, ORDER);
        FloatVector w5 = FloatVector.fromMemorySegment(SPECIES, w, weights + 6 * VECTOR_BYTES, ORDER);
        FloatVector w6 = FloatVector.fromMemorySegment(SPECIES, w, weights + 7 * VECTOR_BYTES, ORDER);
        FloatVector w7 = FloatVector.fromMemorySegment(SPECIES, w, weights + 8 * VECTOR_BYTES, ORDER);
        FloatVector w8 = FloatVector.fromMemorySegment(SPECIES, w, weights + 9 * VECTOR_BYTES, ORDER);
        long step = stride * inPixel;
        long i = inBase + (long) (owFrom * stride - padding) * inPixel;
        long o = outBase + owFrom * outPixel;
        long r = resBase + owFrom * resPixel;
        for (int ow = owFrom; ow < owTo; ow++, i += step, o += outPixel, r += resPixel) {
            FloatVector even = row3(in, i, inPixel, w0, w1, w2, bias);
            FloatVector odd = row3(in, i + inRow, inPixel, w3, w4, w5, zero);
            even = row3(in, i + 2 * inRow, inPixel, w6, w7, w8, even);
            FloatVector y = even.add(odd);
            if (relu) {
                y = y.max(zero);
            }
            if (res != null) {
                y = y.add(FloatVector.fromMemorySegment(SPECIES, res, r, ORDER));
            }
            store(y, out, o, mask);
        }
    }

    /**
     * Columns [owFrom, owTo) of a row whose 5x5 window lies wholly inside the image. Unlike the 3x3 case the
     * 25 weight vectors are not held in registers: with them live, C2 kept the vectors boxed (2.7 MB
     * allocated per call on 64 channels at 56x56); {@link #row5} reads them from the packed block (L1).
     */
    private void interior5(MemorySegment in, long inBase, long inPixel, long inRow, MemorySegment out, long outBase,
                           long outPixel, MemorySegment res, long resBase, long resPixel, long weights,
                           int owFrom, int owTo, VectorMask<Float> mask) {
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        FloatVector zero = FloatVector.zero(SPECIES);
        long tap = weights + VECTOR_BYTES;
        long rowTaps = 5 * VECTOR_BYTES;
        long step = stride * inPixel;
        long i = inBase + (long) (owFrom * stride - padding) * inPixel;
        long o = outBase + owFrom * outPixel;
        long r = resBase + owFrom * resPixel;
        for (int ow = owFrom; ow < owTo; ow++, i += step, o += outPixel, r += resPixel) {
            FloatVector even = row5(in, i, inPixel, tap, bias);
            FloatVector odd = row5(in, i + inRow, inPixel, tap + rowTaps, zero);
            even = row5(in, i + 2 * inRow, inPixel, tap + 2 * rowTaps, even);
            odd = row5(in, i + 3 * inRow, inPixel, tap + 3 * rowTaps, odd);
            even = row5(in, i + 4 * inRow, inPixel, tap + 4 * rowTaps, even);
            FloatVector y = even.add(odd);
            if (relu) {
                y = y.max(zero);
            }
            if (res != null) {
                y = y.add(FloatVector.fromMemorySegment(SPECIES, res, r, ORDER));
            }
            store(y, out, o, mask);
        }
    }

    /*
     * One kernel row of taps. Kept out of the interior loops on purpose: with every tap inline, the interior
     * methods are too large for C1's profiling tier ("out of virtual registers"), and a method that tier cannot
     * compile never reaches C2, so the Vector API ran boxed (0.4 G MAC/s). C2 inlines these small methods back.
     */
    private static FloatVector row3(MemorySegment in, long at, long pixel, FloatVector a, FloatVector b,
                                    FloatVector c, FloatVector acc) {
        acc = FloatVector.fromMemorySegment(SPECIES, in, at, ORDER).fma(a, acc);
        acc = FloatVector.fromMemorySegment(SPECIES, in, at + pixel, ORDER).fma(b, acc);
        return FloatVector.fromMemorySegment(SPECIES, in, at + 2 * pixel, ORDER).fma(c, acc);
    }

    /** Five taps of one kernel row, their weights read from the packed block at {@code tap}. */
    private FloatVector row5(MemorySegment in, long at, long pixel, long tap, FloatVector acc) {
        for (int kw = 0; kw < 5; kw++) {
            acc = FloatVector.fromMemorySegment(SPECIES, in, at + kw * pixel, ORDER)
                    .fma(FloatVector.fromMemorySegment(SPECIES, packed, tap + kw * VECTOR_BYTES, ORDER), acc);
        }
        return acc;
    }

    /** Stores the lanes of {@code mask}: unmasked for full blocks (a masked store is far slower). */
    private void store(FloatVector y, MemorySegment out, long at, VectorMask<Float> mask) {
        if (mask == allLanes) {
            y.intoMemorySegment(out, at, ORDER);
        } else {
            y.intoMemorySegment(out, at, ORDER, mask);
        }
    }

}

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
 * <p>Per output row and vector of channels: the interior columns (window inside the image's columns) run
 * {@value #TILE_PIXELS} output pixels per tile over the window rows inside the image, so border rows are
 * tiled too; the border columns, the last interior columns that do not fill a tile, kernel sizes other than
 * 3 and 5, and a partial channel vector take the general path, which clips the window. Tensors:
 * (n, h, w, c) at float {@code ((n*H + h)*W + w)*channelStride + c}, each tensor with its own stride.
 */
final class VectorDepthwiseConv implements DepthwiseConv {
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int TILE_PIXELS = 4;

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

    /**
     * An op over channels {@code [channelOffset, channelOffset + channels)} of tensors with {@code totalChannels}
     * channels ({@code weights} and {@code bias} hold only this op's channels), so one layer can be split into
     * pieces of different widths: see {@link VectorKernels#depthwise}.
     */
    VectorDepthwiseConv(Arena arena, float[] weights, float[] bias, int channels, int channelOffset, int totalChannels,
                        int kernelSize, int stride, Activation activation) {
        this.channels = channels;
        this.channelOffsetBytes = (long) channelOffset * Float.BYTES;
        this.totalChannels = totalChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = kernelSize / 2;
        this.relu = activation == Activation.RELU;
        int taps = kernelSize * kernelSize;
        int blocks = (channels + LANES - 1) / LANES;
        long blockFloats = (long) (1 + taps) * LANES;
        this.blockBytes = blockFloats * Float.BYTES;
        this.packed = arena.allocate(blocks * blockBytes, Tensor.ALIGNMENT);
        for (int c = 0; c < channels; c++) {
            long base = (c / LANES) * blockFloats + c % LANES;
            packed.setAtIndex(FLOAT, base, bias[c]);
            for (int t = 0; t < taps; t++) {
                packed.setAtIndex(FLOAT, base + (long) (1 + t) * LANES, weights[c * taps + t]);
            }
        }
        this.tailMask = SPECIES.indexInRange(0, channels - (blocks - 1) * LANES);
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
        MemorySegment inSeg = in.segment();
        MemorySegment outSeg = out.segment();
        MemorySegment resSeg = residual == null ? null : residual.segment();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long inRow = inW * inPixel;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        long resPixel = residual == null ? 0 : (long) residual.channelStride() * Float.BYTES;
        // Interior columns: the whole window inside the image, 0 <= ow*s - p and ow*s - p + k - 1 <= W - 1.
        int owFrom = Math.min(outW, (padding + stride - 1) / stride);
        int owTo = inW - k + padding < 0 ? owFrom : Math.max(owFrom, Math.min(outW, (inW - k + padding) / stride + 1));
        int tiledTo = owFrom + (owTo - owFrom) / TILE_PIXELS * TILE_PIXELS;
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
            for (int b = 0; b < blocks; b++) {
                long channelByte = channelOffsetBytes + b * VECTOR_BYTES;
                long weights = b * blockBytes;
                VectorMask<Float> mask = b == blocks - 1 ? tailMask : allLanes;
                // The tiles load and store full vectors only: a partial vector (a tail of fewer than 4 channels in
                // a 128-bit piece, which GhostNet's channel counts never leave) goes through the general path,
                // which loads unmasked where the vector stays inside the segment (its extra lanes read the next
                // pixel's channels and are never stored) and masks only at a segment's end.
                int tileTo = unrolled && mask == allLanes ? tiledTo : owFrom;
                long x = inBase + channelByte;
                long o = outBase + channelByte;
                long r = resBase + channelByte;
                for (int ow = 0; ow < owFrom; ow++) {
                    general(inSeg, x, inPixel, inRow, inW, outSeg, o, outPixel, resSeg, r, resPixel, weights, ow,
                            khFrom, khTo, mask);
                }
                int ow0 = owFrom;
                if (k == 3 && stride == 1 && khFrom == 0 && khTo == 3 && tileTo > owFrom) {
                    interior3(inSeg, x + (long) (owFrom - padding) * inPixel, inPixel, inRow, outSeg,
                            o + owFrom * outPixel, outPixel, resSeg, r + owFrom * resPixel, resPixel, weights,
                            (tileTo - owFrom) / TILE_PIXELS);
                    ow0 = tileTo;
                }
                for (int ow = ow0; ow < tileTo; ow += TILE_PIXELS) {
                    long at = x + (long) (ow * stride - padding) * inPixel;
                    if (k == 3) {
                        tile3(inSeg, at, inPixel, inRow, outSeg, o + ow * outPixel, outPixel, resSeg,
                                r + ow * resPixel, resPixel, weights, khFrom, khTo);
                    } else {
                        tile5(inSeg, at, inPixel, inRow, outSeg, o + ow * outPixel, outPixel, resSeg,
                                r + ow * resPixel, resPixel, weights, khFrom, khTo);
                    }
                }
                for (int ow = Math.max(owFrom, tileTo); ow < outW; ow++) {
                    general(inSeg, x, inPixel, inRow, inW, outSeg, o, outPixel, resSeg, r, resPixel, weights, ow,
                            khFrom, khTo, mask);
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
                FloatVector xv = load(in, rowStart + kw * inPixel, mask);
                acc = xv.fma(FloatVector.fromMemorySegment(SPECIES, packed, tap + kw * VECTOR_BYTES, ORDER), acc);
            }
        }
        if (relu) {
            acc = acc.max(FloatVector.zero(SPECIES));
        }
        if (res != null) {
            acc = acc.add(load(res, resBase + ow * resPixel, mask));
        }
        long o = outBase + ow * outPixel;
        if (mask == allLanes) {
            acc.intoMemorySegment(out, o, ORDER);
        } else {
            acc.intoMemorySegment(out, o, ORDER, mask);
        }
    }

    // No helper takes or returns a vector: once such a helper has been compiled on its own, C2 no longer
    // inlines it (its code is too large) and every vector passed to it is boxed (measured 0.7 MB per call on
    // 56x56x36). So each tile writes its epilogue out, a deliberate repetition.
    //
    // The tiles: TILE_PIXELS horizontally adjacent output pixels whose windows lie inside the image's columns,
    // kernel rows [khFrom, khTo) (so border rows are tiled too), one accumulator per pixel: per tap one weight
    // load, four input loads and four independent FMAs. One method per kernel size with the row's taps written
    // out, so the loop over kernel rows is the only loop and the interior has no per-tap branch. The
    // accumulators are loop phis as in the pointwise tiles, which C2 keeps in registers; the 5x5 weights are
    // read per tap from the packed block (L1) rather than held in 25 registers, which C2 kept boxed.

    private void tile3(MemorySegment in, long x0, long inPixel, long inRow, MemorySegment out, long o, long outPixel,
                       MemorySegment res, long r, long resPixel, long weights, int khFrom, int khTo) {
        MemorySegment w = packed;
        long s1 = stride * inPixel, s2 = 2 * s1, s3 = 3 * s1;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c1 = c0, c2 = c0, c3 = c0;
        long tap = weights + (1 + 3L * khFrom) * VECTOR_BYTES;
        long x = x0 + khFrom * inRow;
        for (int kh = khFrom; kh < khTo; kh++, x += inRow, tap += 3 * VECTOR_BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, tap, ORDER);
            c0 = FloatVector.fromMemorySegment(SPECIES, in, x, ORDER).fma(w0, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, in, x + s1, ORDER).fma(w0, c1);
            c2 = FloatVector.fromMemorySegment(SPECIES, in, x + s2, ORDER).fma(w0, c2);
            c3 = FloatVector.fromMemorySegment(SPECIES, in, x + s3, ORDER).fma(w0, c3);
            FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, tap + VECTOR_BYTES, ORDER);
            long x1 = x + inPixel;
            c0 = FloatVector.fromMemorySegment(SPECIES, in, x1, ORDER).fma(w1, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, in, x1 + s1, ORDER).fma(w1, c1);
            c2 = FloatVector.fromMemorySegment(SPECIES, in, x1 + s2, ORDER).fma(w1, c2);
            c3 = FloatVector.fromMemorySegment(SPECIES, in, x1 + s3, ORDER).fma(w1, c3);
            FloatVector w2 = FloatVector.fromMemorySegment(SPECIES, w, tap + 2 * VECTOR_BYTES, ORDER);
            long x2 = x1 + inPixel;
            c0 = FloatVector.fromMemorySegment(SPECIES, in, x2, ORDER).fma(w2, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, in, x2 + s1, ORDER).fma(w2, c1);
            c2 = FloatVector.fromMemorySegment(SPECIES, in, x2 + s2, ORDER).fma(w2, c2);
            c3 = FloatVector.fromMemorySegment(SPECIES, in, x2 + s3, ORDER).fma(w2, c3);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            c2 = c2.max(zero);
            c3 = c3.max(zero);
        }
        if (res != null) {
            c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r, ORDER));
            c1 = c1.add(FloatVector.fromMemorySegment(SPECIES, res, r + resPixel, ORDER));
            c2 = c2.add(FloatVector.fromMemorySegment(SPECIES, res, r + 2 * resPixel, ORDER));
            c3 = c3.add(FloatVector.fromMemorySegment(SPECIES, res, r + 3 * resPixel, ORDER));
        }
        c0.intoMemorySegment(out, o, ORDER);
        c1.intoMemorySegment(out, o + outPixel, ORDER);
        c2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        c3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
    }

    /**
     * {@code tiles} x {@value #TILE_PIXELS} pixels of a 3x3 stride-1 row whose window rows all lie inside the
     * image: the nine weight vectors stay in registers for the whole row, and each kernel row's six input
     * vectors are loaded once and feed twelve FMAs (half a load per FMA instead of one and a quarter in
     * {@link #tile3}); 9 weights + 4 accumulators + 6 inputs = 19 live vectors, within the 32 registers.
     */
    private void interior3(MemorySegment in, long x, long inPixel, long inRow, MemorySegment out, long o,
                           long outPixel, MemorySegment res, long r, long resPixel, long weights, int tiles) {
        MemorySegment w = packed;
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, weights + 2 * VECTOR_BYTES, ORDER);
        FloatVector w2 = FloatVector.fromMemorySegment(SPECIES, w, weights + 3 * VECTOR_BYTES, ORDER);
        FloatVector w3 = FloatVector.fromMemorySegment(SPECIES, w, weights + 4 * VECTOR_BYTES, ORDER);
        FloatVector w4 = FloatVector.fromMemorySegment(SPECIES, w, weights + 5 * VECTOR_BYTES, ORDER);
        FloatVector w5 = FloatVector.fromMemorySegment(SPECIES, w, weights + 6 * VECTOR_BYTES, ORDER);
        FloatVector w6 = FloatVector.fromMemorySegment(SPECIES, w, weights + 7 * VECTOR_BYTES, ORDER);
        FloatVector w7 = FloatVector.fromMemorySegment(SPECIES, w, weights + 8 * VECTOR_BYTES, ORDER);
        FloatVector w8 = FloatVector.fromMemorySegment(SPECIES, w, weights + 9 * VECTOR_BYTES, ORDER);
        long step = TILE_PIXELS * inPixel;
        for (int t = 0; t < tiles; t++, x += step, o += TILE_PIXELS * outPixel, r += TILE_PIXELS * resPixel) {
            FloatVector c0 = bias, c1 = bias, c2 = bias, c3 = bias;
            long xr = x;
            FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, xr, ORDER);
            FloatVector b = FloatVector.fromMemorySegment(SPECIES, in, xr + inPixel, ORDER);
            FloatVector c = FloatVector.fromMemorySegment(SPECIES, in, xr + 2 * inPixel, ORDER);
            FloatVector d = FloatVector.fromMemorySegment(SPECIES, in, xr + 3 * inPixel, ORDER);
            FloatVector e = FloatVector.fromMemorySegment(SPECIES, in, xr + 4 * inPixel, ORDER);
            FloatVector f = FloatVector.fromMemorySegment(SPECIES, in, xr + 5 * inPixel, ORDER);
            c0 = a.fma(w0, c0); c1 = b.fma(w0, c1); c2 = c.fma(w0, c2); c3 = d.fma(w0, c3);
            c0 = b.fma(w1, c0); c1 = c.fma(w1, c1); c2 = d.fma(w1, c2); c3 = e.fma(w1, c3);
            c0 = c.fma(w2, c0); c1 = d.fma(w2, c1); c2 = e.fma(w2, c2); c3 = f.fma(w2, c3);
            xr += inRow;
            a = FloatVector.fromMemorySegment(SPECIES, in, xr, ORDER);
            b = FloatVector.fromMemorySegment(SPECIES, in, xr + inPixel, ORDER);
            c = FloatVector.fromMemorySegment(SPECIES, in, xr + 2 * inPixel, ORDER);
            d = FloatVector.fromMemorySegment(SPECIES, in, xr + 3 * inPixel, ORDER);
            e = FloatVector.fromMemorySegment(SPECIES, in, xr + 4 * inPixel, ORDER);
            f = FloatVector.fromMemorySegment(SPECIES, in, xr + 5 * inPixel, ORDER);
            c0 = a.fma(w3, c0); c1 = b.fma(w3, c1); c2 = c.fma(w3, c2); c3 = d.fma(w3, c3);
            c0 = b.fma(w4, c0); c1 = c.fma(w4, c1); c2 = d.fma(w4, c2); c3 = e.fma(w4, c3);
            c0 = c.fma(w5, c0); c1 = d.fma(w5, c1); c2 = e.fma(w5, c2); c3 = f.fma(w5, c3);
            xr += inRow;
            a = FloatVector.fromMemorySegment(SPECIES, in, xr, ORDER);
            b = FloatVector.fromMemorySegment(SPECIES, in, xr + inPixel, ORDER);
            c = FloatVector.fromMemorySegment(SPECIES, in, xr + 2 * inPixel, ORDER);
            d = FloatVector.fromMemorySegment(SPECIES, in, xr + 3 * inPixel, ORDER);
            e = FloatVector.fromMemorySegment(SPECIES, in, xr + 4 * inPixel, ORDER);
            f = FloatVector.fromMemorySegment(SPECIES, in, xr + 5 * inPixel, ORDER);
            c0 = a.fma(w6, c0); c1 = b.fma(w6, c1); c2 = c.fma(w6, c2); c3 = d.fma(w6, c3);
            c0 = b.fma(w7, c0); c1 = c.fma(w7, c1); c2 = d.fma(w7, c2); c3 = e.fma(w7, c3);
            c0 = c.fma(w8, c0); c1 = d.fma(w8, c1); c2 = e.fma(w8, c2); c3 = f.fma(w8, c3);
            if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            c2 = c2.max(zero);
            c3 = c3.max(zero);
        }
        if (res != null) {
            c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r, ORDER));
            c1 = c1.add(FloatVector.fromMemorySegment(SPECIES, res, r + resPixel, ORDER));
            c2 = c2.add(FloatVector.fromMemorySegment(SPECIES, res, r + 2 * resPixel, ORDER));
            c3 = c3.add(FloatVector.fromMemorySegment(SPECIES, res, r + 3 * resPixel, ORDER));
        }
        c0.intoMemorySegment(out, o, ORDER);
        c1.intoMemorySegment(out, o + outPixel, ORDER);
        c2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        c3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
        }
    }

    private void tile5(MemorySegment in, long x0, long inPixel, long inRow, MemorySegment out, long o, long outPixel,
                       MemorySegment res, long r, long resPixel, long weights, int khFrom, int khTo) {
        MemorySegment w = packed;
        long s1 = stride * inPixel, s2 = 2 * s1, s3 = 3 * s1;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c1 = c0, c2 = c0, c3 = c0;
        long tap = weights + (1 + 5L * khFrom) * VECTOR_BYTES;
        long x = x0 + khFrom * inRow;
        for (int kh = khFrom; kh < khTo; kh++, x += inRow, tap += 5 * VECTOR_BYTES) {
            for (int kw = 0; kw < 5; kw++) {
                FloatVector wv = FloatVector.fromMemorySegment(SPECIES, w, tap + kw * VECTOR_BYTES, ORDER);
                long xk = x + kw * inPixel;
                c0 = FloatVector.fromMemorySegment(SPECIES, in, xk, ORDER).fma(wv, c0);
                c1 = FloatVector.fromMemorySegment(SPECIES, in, xk + s1, ORDER).fma(wv, c1);
                c2 = FloatVector.fromMemorySegment(SPECIES, in, xk + s2, ORDER).fma(wv, c2);
                c3 = FloatVector.fromMemorySegment(SPECIES, in, xk + s3, ORDER).fma(wv, c3);
            }
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            c2 = c2.max(zero);
            c3 = c3.max(zero);
        }
        if (res != null) {
            c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r, ORDER));
            c1 = c1.add(FloatVector.fromMemorySegment(SPECIES, res, r + resPixel, ORDER));
            c2 = c2.add(FloatVector.fromMemorySegment(SPECIES, res, r + 2 * resPixel, ORDER));
            c3 = c3.add(FloatVector.fromMemorySegment(SPECIES, res, r + 3 * resPixel, ORDER));
        }
        c0.intoMemorySegment(out, o, ORDER);
        c1.intoMemorySegment(out, o + outPixel, ORDER);
        c2.intoMemorySegment(out, o + 2 * outPixel, ORDER);
        c3.intoMemorySegment(out, o + 3 * outPixel, ORDER);
    }

    /**
     * The vector at {@code at}: a full load while it stays inside the segment (the lanes past the mask read
     * the next pixel's channels and are never stored), masked only at the segment's end.
     */
    private static FloatVector load(MemorySegment segment, long at, VectorMask<Float> mask) {
        return at + VECTOR_BYTES <= segment.byteSize()
                ? FloatVector.fromMemorySegment(SPECIES, segment, at, ORDER)
                : FloatVector.fromMemorySegment(SPECIES, segment, at, ORDER, mask);
    }
}

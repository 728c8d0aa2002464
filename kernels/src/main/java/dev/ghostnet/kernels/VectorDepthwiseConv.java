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
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise k x k convolution, "same" padding k/2, stride 1 or 2, vectorised across channels (one vector of
 * channels per step), fused bias / ReLU / residual. A template specialised per vector width by
 * {@link VectorSpecialization}. A last vector of fewer channels than lanes is computed in full and
 * stored masked (see {@link VectorKernels#depthwise} for why a layer never mixes widths).
 *
 * <p>Packed weights (off-heap, 64-byte aligned): one block per vector of channels,
 * {@code [bias c0..c0+lanes) [tap 0] ... [tap k*k-1]}, tap t = kh*k + kw, each {@code lanes} floats; channels
 * past the last one are zero, so weight loads are never masked. With a partial last vector and more channels than
 * lanes, one more block after them holds the last {@code lanes} channels ({@link #overlappingTail}).
 *
 * <p>Row ring ({@link RowRing}, per thread): for one vector of channels, k input rows copied with
 * their zero padding, slot {@code (padded row) % k}, each {@code (W + 2*(k/2)) * lanes} floats,
 * {@code [pad pixels][pixel 0 lanes] ... [pixel W-1 lanes][pad pixels]}; rows above and below the image are
 * zero rows. Each input row is copied once per channel block and read by the k output rows that need it.
 * After the k rows, the 5x5 and generic kernels keep a copy of the block's {@code k*k} tap vectors, and the
 * 5x5 kernel one partial sum per output column ({@code outW * lanes} floats).
 * Why: reading the tensor directly, every tap's load has its own bounds check, because the pixel stride is a
 * runtime value and C2 hoists a check out of a loop only when the index's scale is a constant (measured:
 * 9 compare-and-branch pairs per output pixel, 2.3x the time of the same loop with constant strides). In the
 * ring the scale is the constant {@code lanes} (or {@code 2 * lanes} at stride 2), so the taps' checks leave
 * the loop, and the padding removes the clipped border path altogether.
 *
 * <p>Tensors: (n, h, w, c) at float {@code ((n*H + h)*W + w)*channelStride + c}, each tensor with its own
 * stride.
 *
 * <p>Paired ghost halves ({@link #runPairedGhost}): the cheap 3x3 stride-1 conv of a ghost module of half a vector
 * per half (8 + 8 channels at 512 bits) with its folded shortcut, reading a contiguous primary (stride 8) and
 * writing whole pixels of a 16-channel ghost output. Its ring rows hold two pixels per vector,
 * {@code [pad pixel][pixel 0 .. W-1, half a vector each][3 pad pixels]}, and its weights are {@link #pairedTaps}:
 * {@code [bias][tap 0] ... [tap 8]}, each the 8 channels' values twice. One vector then computes two output
 * pixels, and each output pixel is one full store of {@code [primary + shortcut residual, act(conv) + residual]},
 * where the general path spent a half-empty vector and two masked stores per pixel.
 */
final class VectorDepthwiseConv implements DepthwiseConv {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int HALF = LANES / 2;
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(SPECIES, j -> j ^ HALF);

    private final int channels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean relu;
    private final MemorySegment packed;
    private final long blockBytes;
    private final VectorMask<Float> tailMask;
    /** Whether the last vector of channels is partial ({@link #tailMask} not all lanes). */
    private final boolean partialTail;
    /**
     * Whether a partial last vector can run as a whole one over the layer's last {@code LANES} channels instead,
     * overlapping the vector before it (more channels than lanes): loads and stores then need no mask, and the
     * overlapped channels are computed again to the same bits. {@link #packed} holds that vector's weights as one
     * more block. Not where a residual overlaps the output (it would be added twice), see {@link #run}.
     * Why: a masked store costs about 9 cycles on the Zen 5, a masked load more.
     */
    private final boolean overlappingTail;
    /** The weights twice over for {@link #runPairedGhost}, see the class comment; null when it cannot apply. */
    private final MemorySegment pairedTaps;
    private final VectorMask<Float> lowHalf;

    /** The type of {@link #create}, implemented per width by {@link VectorSpecialization#factory}. */
    interface Factory {
        DepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int kernelSize, int stride,
                             Activation activation);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static DepthwiseConv create(Arena arena, float[] weights, float[] bias, int channels, int kernelSize,
                                int stride, Activation activation) {
        return new VectorDepthwiseConv(arena, weights, bias, channels, kernelSize, stride, activation);
    }

    private VectorDepthwiseConv(Arena arena, float[] weights, float[] bias, int channels, int kernelSize, int stride,
                                Activation activation) {
        this.channels = channels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = kernelSize / 2;
        this.relu = activation == Activation.RELU;
        int taps = kernelSize * kernelSize;
        this.blockBytes = Packing.blockBytes(taps, LANES);
        this.tailMask = SPECIES.indexInRange(0, Packing.lastBlockOutputs(channels, LANES));
        this.partialTail = Packing.lastBlockOutputs(channels, LANES) < LANES;
        this.overlappingTail = partialTail && channels > LANES;
        this.packed = overlappingTail
                ? Packing.blocks(arena, withLastVector(weights, channels, taps), withLastVector(bias, channels, 1),
                        (Packing.blocks(channels, LANES) + 1) * LANES, taps, LANES)
                : Packing.blocks(arena, weights, bias, channels, taps, LANES);
        this.pairedTaps = channels == HALF && kernelSize == 3 && stride == 1
                ? Packing.blocks(arena, twice(weights), twice(bias), LANES, taps, LANES) : null;
        this.lowHalf = SPECIES.indexInRange(0, HALF);
    }

    /**
     * Per-channel rows ({@code rowLength} values each) for {@link #overlappingTail}: the layer's channels, zero
     * rows up to a whole number of vectors, then the last vector's worth of channels again,
     * {@code [channels - LANES, channels)}, as one more block.
     */
    private static float[] withLastVector(float[] values, int channels, int rowLength) {
        int padded = Packing.blocks(channels, LANES) * LANES;
        float[] rows = new float[(padded + LANES) * rowLength];
        System.arraycopy(values, 0, rows, 0, channels * rowLength);
        System.arraycopy(values, (channels - LANES) * rowLength, rows, padded * rowLength, LANES * rowLength);
        return rows;
    }

    /** {@code values} followed by themselves: per-channel rows for channels c and c + HALF alike. */
    private static float[] twice(float[] values) {
        float[] both = new float[2 * values.length];
        System.arraycopy(values, 0, both, 0, values.length);
        System.arraycopy(values, 0, both, values.length, values.length);
        return both;
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
        run(in, out, residual, null, null, rowFrom, rowTo);
    }

    @Override
    public void runWithShortcut(Tensor in, Tensor out, Tensor residual, Tensor shortcutOut, Tensor shortcutResidual,
                                int rowFrom, int rowTo) {
        assert stride == 1 && shortcutOut.sameShape(in)
                && (shortcutResidual == null || shortcutResidual.sameShape(in))
                : in + ", " + shortcutOut + ", " + shortcutResidual;
        boolean residuals = residual != null && shortcutResidual != null;
        if (pairedTaps != null && in.channelStride() == HALF && wholePixels(shortcutOut, out)
                && (residuals ? wholePixels(shortcutResidual, residual) : residual == null && shortcutResidual == null)) {
            runPairedGhost(in, shortcutOut, shortcutResidual, rowFrom, rowTo);
            return;
        }
        run(in, out, residual, shortcutOut, shortcutResidual, rowFrom, rowTo);
    }

    @Override
    public boolean pairsHalfVectors() {
        return pairedTaps != null;
    }

    /** Whether {@code low} and {@code high} are channels {@code [0, HALF)} and {@code [HALF, LANES)} of one tensor. */
    private static boolean wholePixels(Tensor low, Tensor high) {
        return low.channelStride() == LANES && high.channelStride() == LANES
                && high.segment().address() == low.segment().address() + HALF * Float.BYTES;
    }

    /**
     * {@link #runWithShortcut} for the paired ghost halves (class comment): {@code in} the contiguous primary,
     * {@code low} and {@code lowResidual} the low halves of the ghost output and of the block input (null for
     * none), whose whole pixels ({@link Tensor#readable()} spans the high halves after them) are loaded and stored.
     */
    private void runPairedGhost(Tensor in, Tensor low, Tensor lowResidual, int rowFrom, int rowTo) {
        int height = in.height();
        int width = in.width();
        MemorySegment inSeg = in.segment();
        MemorySegment outSeg = low.readable();
        MemorySegment resSeg = lowResidual == null ? null : lowResidual.readable();
        long pixel = LANES * Float.BYTES;
        int rowFloats = (width + 4) * HALF;
        RowRing ring = RowRing.get(3 * rowFloats, 3);
        float[] rows = ring.rows;
        int[] bases = ring.bases;
        ring.forget(3);
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / height;
            int top = row % height; // padded index of the window's first input row
            for (int kh = 0; kh < 3; kh++) {
                int padded = top + kh;
                int at = ring.place(kh, padded, n * (height + 2) + padded, 3, rowFloats);
                if (at >= 0) {
                    int ih = padded - 1;
                    if (ih < 0 || ih >= height) {
                        Arrays.fill(rows, at, at + rowFloats, 0f);
                    } else {
                        Arrays.fill(rows, at, at + HALF, 0f);
                        MemorySegment.copy(inSeg, ValueLayout.JAVA_FLOAT, ((long) n * height + ih) * width * HALF
                                * Float.BYTES, rows, at + HALF, width * HALF);
                        Arrays.fill(rows, at + (width + 1) * HALF, at + rowFloats, 0f);
                    }
                }
            }
            rowPairedGhost(rows, bases[0], bases[1], bases[2], width, outSeg, (long) row * width * pixel, resSeg);
        }
    }

    /**
     * One output row of {@link #runPairedGhost} from ring slots r0..r2: per two pixels 6 full loads and 9 FMAs in
     * two chains, then per pixel a swap of halves, a blend, the block input's load and add (if {@code res} is not
     * null), and one full store.
     */
    private void rowPairedGhost(float[] rows, int r0, int r1, int r2, int width, MemorySegment out, long o,
                                MemorySegment res) {
        MemorySegment w = pairedTaps;
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, w, 0, ORDER);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, VECTOR_BYTES, ORDER);
        FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, 2 * VECTOR_BYTES, ORDER);
        FloatVector w2 = FloatVector.fromMemorySegment(SPECIES, w, 3 * VECTOR_BYTES, ORDER);
        FloatVector w3 = FloatVector.fromMemorySegment(SPECIES, w, 4 * VECTOR_BYTES, ORDER);
        FloatVector w4 = FloatVector.fromMemorySegment(SPECIES, w, 5 * VECTOR_BYTES, ORDER);
        FloatVector w5 = FloatVector.fromMemorySegment(SPECIES, w, 6 * VECTOR_BYTES, ORDER);
        FloatVector w6 = FloatVector.fromMemorySegment(SPECIES, w, 7 * VECTOR_BYTES, ORDER);
        FloatVector w7 = FloatVector.fromMemorySegment(SPECIES, w, 8 * VECTOR_BYTES, ORDER);
        FloatVector w8 = FloatVector.fromMemorySegment(SPECIES, w, 9 * VECTOR_BYTES, ORDER);
        VectorMask<Float> low = lowHalf;
        VectorMask<Float> high = low.not();
        long pixel = VECTOR_BYTES;
        // The window slides a whole vector (two pixels) per step: its last column is the next one's first.
        FloatVector top0 = FloatVector.fromArray(SPECIES, rows, r0);
        FloatVector mid0 = FloatVector.fromArray(SPECIES, rows, r1);
        FloatVector bottom0 = FloatVector.fromArray(SPECIES, rows, r2);
        for (int x = 0; x < width; x += 2) {
            int c = x * HALF + HALF;
            FloatVector top1 = FloatVector.fromArray(SPECIES, rows, r0 + c);
            FloatVector top2 = FloatVector.fromArray(SPECIES, rows, r0 + c + HALF);
            FloatVector primary = FloatVector.fromArray(SPECIES, rows, r1 + c);
            FloatVector mid2 = FloatVector.fromArray(SPECIES, rows, r1 + c + HALF);
            FloatVector bottom1 = FloatVector.fromArray(SPECIES, rows, r2 + c);
            FloatVector bottom2 = FloatVector.fromArray(SPECIES, rows, r2 + c + HALF);
            // The taps in row3Stride1's order (rows 0 and 2 in one chain, row 1 in the other), so both paths agree
            // to the bit.
            FloatVector even = taps3(top0, top1, top2, w0, w1, w2, bias);
            FloatVector odd = taps3(mid0, primary, mid2, w3, w4, w5, zero);
            even = taps3(bottom0, bottom1, bottom2, w6, w7, w8, even);
            top0 = top2;
            mid0 = mid2;
            bottom0 = bottom2;
            FloatVector y = even.add(odd);
            if (relu) {
                y = y.blend(zero, y.compare(VectorOperators.LE, zero));
            }
            long at = o + x * pixel;
            FloatVector first = primary.blend(y.rearrange(SWAP_HALVES), high);
            FloatVector second = y.blend(primary.rearrange(SWAP_HALVES), low);
            if (res != null) {
                first = first.add(FloatVector.fromMemorySegment(SPECIES, res, at, ORDER));
            }
            first.intoMemorySegment(out, at, ORDER);
            if (x + 1 < width) {
                if (res != null) {
                    second = second.add(FloatVector.fromMemorySegment(SPECIES, res, at + pixel, ORDER));
                }
                second.intoMemorySegment(out, at + pixel, ORDER);
            }
        }
    }

    /** {@link #run}, plus the shortcut (both non-null) or not (both null). */
    private void run(Tensor in, Tensor out, Tensor residual, Tensor shortcutOut, Tensor shortcutResidual, int rowFrom,
                     int rowTo) {
        assert in.channels() == channels && out.channels() == channels && in.batch() == out.batch()
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
        long outPixel = (long) out.channelStride() * Float.BYTES;
        long resPixel = residual == null ? 0 : (long) residual.channelStride() * Float.BYTES;
        MemorySegment shortcutSeg = shortcutOut == null ? null : shortcutOut.segment();
        MemorySegment shortcutResSeg = shortcutResidual == null ? null : shortcutResidual.readable();
        long shortcutPixel = shortcutOut == null ? 0 : (long) shortcutOut.channelStride() * Float.BYTES;
        long shortcutResPixel = shortcutResidual == null ? 0 : (long) shortcutResidual.channelStride() * Float.BYTES;
        int rowFloats = (inW + 2 * padding) * LANES;
        int tapsAt = k * rowFloats; // where the block's taps are copied for the 5x5 and generic row kernels
        int partialAt = tapsAt + k * k * LANES; // the 5x5 kernel's partial sums, one vector per output column
        RowRing ring = RowRing.get(partialAt + outW * LANES, k);
        float[] rows = ring.rows;
        int[] bases = ring.bases;
        int paddedH = inH + 2 * padding;
        int blocks = (channels + LANES - 1) / LANES;
        boolean overlap = overlappingTail && disjoint(residual, out) && disjoint(shortcutResidual, shortcutOut);
        for (int b = 0; b < blocks; b++) {
            boolean overlapped = overlap && b == blocks - 1;
            long channelByte = overlapped ? (long) (channels - LANES) * Float.BYTES : b * VECTOR_BYTES;
            long weights = (overlapped ? blocks : b) * blockBytes;
            boolean tail = b == blocks - 1 && partialTail && !overlapped;
            // A tail block's copy loads full vectors where they stay inside the segment (the extra lanes hold the
            // next pixel's channels, are computed like the others and never stored); a partially masked load is
            // ~10x slower than a full one.
            boolean fullLoads = !tail || fitsFullLoads(in, channelByte);
            // The same for the residuals: the extra lanes of a full load are never stored.
            boolean maskedResidual = tail && !fitsFullLoads(residual, channelByte);
            boolean maskedShortcutResidual = tail && !fitsFullLoads(shortcutResidual, channelByte);
            ring.forget(k);
            if (k != 3) {
                MemorySegment.copy(packed, ValueLayout.JAVA_FLOAT, weights + VECTOR_BYTES, rows, tapsAt, k * k * LANES);
            }
            for (int row = rowFrom; row < rowTo; row++) {
                int n = row / outH;
                int top = (row % outH) * stride; // padded index of the window's first input row
                for (int kh = 0; kh < k; kh++) {
                    int padded = top + kh;
                    int at = ring.place(kh, padded, n * paddedH + padded, k, rowFloats);
                    if (at >= 0) {
                        int ih = padded - padding;
                        copyRow(inSeg, ((long) n * inH + ih) * inW * inPixel + channelByte, inPixel, inW,
                                ih < 0 || ih >= inH, rows, at, fullLoads);
                    }
                }
                if (shortcutOut != null) {
                    // Stride 1: output row `row` is input row `row`, in the ring's centre slot since this row's copy.
                    shortcutRow(rows, bases[padding] + padding * LANES, inW, shortcutSeg,
                            (long) row * inW * shortcutPixel + channelByte, shortcutPixel, shortcutResSeg,
                            (long) row * inW * shortcutResPixel + channelByte, shortcutResPixel, tail,
                            maskedShortcutResidual);
                }
                long o = (long) row * outW * outPixel + channelByte;
                long r = (long) row * outW * resPixel + channelByte;
                if (k == 3) {
                    int r0 = bases[0];
                    int r1 = bases[1];
                    int r2 = bases[2];
                    if (stride == 1) {
                        row3Stride1(rows, r0, r1, r2, outW, outSeg, o, outPixel, resSeg, r, resPixel, weights, tail,
                                maskedResidual);
                    } else {
                        row3Stride2(rows, r0, r1, r2, outW, outSeg, o, outPixel, resSeg, r, resPixel, weights, tail,
                                maskedResidual);
                    }
                } else if (k == 5) {
                    row5(rows, bases, tapsAt, partialAt, outW, outSeg, o, outPixel, resSeg, r, resPixel, weights,
                            tail, maskedResidual);
                } else {
                    rowGeneral(rows, bases, tapsAt, outW, outSeg, o, outPixel, resSeg, r, resPixel, weights,
                            tail, maskedResidual);
                }
            }
        }
    }

    /** Copies one input row's vector of channels into a ring slot with its zero padding (or a zero row). */
    private void copyRow(MemorySegment in, long from, long inPixel, int inW, boolean outside, float[] rows, int at,
                         boolean fullLoads) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int end = at + (inW + 2 * padding) * LANES;
        if (outside) {
            for (int i = at; i < end; i += LANES) {
                zero.intoArray(rows, i);
            }
            return;
        }
        for (int i = 0; i < padding; i++) {
            zero.intoArray(rows, at + i * LANES);
            zero.intoArray(rows, end - (i + 1) * LANES);
        }
        int first = at + padding * LANES;
        if (fullLoads) {
            for (int x = 0; x < inW; x++) {
                FloatVector.fromMemorySegment(SPECIES, in, from + x * inPixel, ORDER).intoArray(rows, first + x * LANES);
            }
        } else {
            for (int x = 0; x < inW; x++) {
                FloatVector.fromMemorySegment(SPECIES, in, from + x * inPixel, ORDER, tailMask)
                        .intoArray(rows, first + x * LANES);
            }
        }
    }

    /** Whether the memory of {@code a} and {@code b} (either null for none) does not overlap. */
    private static boolean disjoint(Tensor a, Tensor b) {
        if (a == null || b == null) {
            return true;
        }
        long a0 = a.segment().address();
        long b0 = b.segment().address();
        return a0 + a.segment().byteSize() <= b0 || b0 + b.segment().byteSize() <= a0;
    }

    /** Whether every pixel's full vector at {@code channelByte} of {@code t} (null for none) stays in its segment. */
    private static boolean fitsFullLoads(Tensor t, long channelByte) {
        if (t == null) {
            return true;
        }
        long pixel = (long) t.channelStride() * Float.BYTES;
        return t.pixels() * pixel - pixel + channelByte + VECTOR_BYTES <= t.readable().byteSize();
    }

    /** One row of the shortcut: the input row as copied to the ring, plus the shortcut's residual (null: none). */
    private void shortcutRow(float[] rows, int at, int width, MemorySegment out, long o, long outPixel,
                             MemorySegment res, long r, long resPixel, boolean tail, boolean maskedResidual) {
        for (int x = 0; x < width; x++) {
            FloatVector v = FloatVector.fromArray(SPECIES, rows, at + x * LANES);
            if (res == null) {
                if (tail) {
                    v.intoMemorySegment(out, o + x * outPixel, ORDER, tailMask);
                } else {
                    v.intoMemorySegment(out, o + x * outPixel, ORDER);
                }
            } else if (maskedResidual) {
                v.add(FloatVector.fromMemorySegment(SPECIES, res, r + x * resPixel, ORDER, tailMask))
                        .intoMemorySegment(out, o + x * outPixel, ORDER, tailMask);
            } else if (tail) {
                v.add(FloatVector.fromMemorySegment(SPECIES, res, r + x * resPixel, ORDER))
                        .intoMemorySegment(out, o + x * outPixel, ORDER, tailMask);
            } else {
                v.add(FloatVector.fromMemorySegment(SPECIES, res, r + x * resPixel, ORDER))
                        .intoMemorySegment(out, o + x * outPixel, ORDER);
            }
        }
    }

    // Deliberate unrolls: the row kernels share their column loop on purpose; it holds vectors, and a helper
    // taking or returning vectors across that loop would box them. Each loop's ring index has a constant scale.

    /** One output row of a 3x3 stride-1 layer from ring slots r0..r2: 9 weights in registers, two FMA chains. */
    private void row3Stride1(float[] rows, int r0, int r1, int r2, int outW, MemorySegment out, long o, long outPixel,
                             MemorySegment res, long r, long resPixel, long weights, boolean tail,
                             boolean maskedResidual) {
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
        // The window slides one column per output: its first two columns are the last call's last two, so each
        // output loads 3 vectors, not 9.
        FloatVector top0 = FloatVector.fromArray(SPECIES, rows, r0);
        FloatVector top1 = FloatVector.fromArray(SPECIES, rows, r0 + LANES);
        FloatVector mid0 = FloatVector.fromArray(SPECIES, rows, r1);
        FloatVector mid1 = FloatVector.fromArray(SPECIES, rows, r1 + LANES);
        FloatVector bottom0 = FloatVector.fromArray(SPECIES, rows, r2);
        FloatVector bottom1 = FloatVector.fromArray(SPECIES, rows, r2 + LANES);
        for (int ow = 0; ow < outW; ow++) {
            int c = (ow + 2) * LANES;
            FloatVector top2 = FloatVector.fromArray(SPECIES, rows, r0 + c);
            FloatVector mid2 = FloatVector.fromArray(SPECIES, rows, r1 + c);
            FloatVector bottom2 = FloatVector.fromArray(SPECIES, rows, r2 + c);
            FloatVector even = taps3(top0, top1, top2, w0, w1, w2, bias);
            FloatVector odd = taps3(mid0, mid1, mid2, w3, w4, w5, zero);
            even = taps3(bottom0, bottom1, bottom2, w6, w7, w8, even);
            top0 = top1;
            top1 = top2;
            mid0 = mid1;
            mid1 = mid2;
            bottom0 = bottom1;
            bottom1 = bottom2;
            FloatVector y = even.add(odd);
            if (relu) {
                y = y.blend(zero, y.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                y = y.add(maskedResidual
                        ? FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER, tailMask)
                        : FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER));
            }
            if (tail) {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER, tailMask);
            } else {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER);
            }
        }
    }

    /** {@link #row3Stride1} at stride 2: output column ow reads ring pixels 2*ow .. 2*ow + 2. */
    private void row3Stride2(float[] rows, int r0, int r1, int r2, int outW, MemorySegment out, long o, long outPixel,
                             MemorySegment res, long r, long resPixel, long weights, boolean tail,
                             boolean maskedResidual) {
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
        // A window's last column is the next one's first: 6 loads per output, not 9.
        FloatVector top0 = FloatVector.fromArray(SPECIES, rows, r0);
        FloatVector mid0 = FloatVector.fromArray(SPECIES, rows, r1);
        FloatVector bottom0 = FloatVector.fromArray(SPECIES, rows, r2);
        for (int ow = 0; ow < outW; ow++) {
            int c = (ow * 2 + 1) * LANES;
            FloatVector top1 = FloatVector.fromArray(SPECIES, rows, r0 + c);
            FloatVector top2 = FloatVector.fromArray(SPECIES, rows, r0 + c + LANES);
            FloatVector mid1 = FloatVector.fromArray(SPECIES, rows, r1 + c);
            FloatVector mid2 = FloatVector.fromArray(SPECIES, rows, r1 + c + LANES);
            FloatVector bottom1 = FloatVector.fromArray(SPECIES, rows, r2 + c);
            FloatVector bottom2 = FloatVector.fromArray(SPECIES, rows, r2 + c + LANES);
            FloatVector even = taps3(top0, top1, top2, w0, w1, w2, bias);
            FloatVector odd = taps3(mid0, mid1, mid2, w3, w4, w5, zero);
            even = taps3(bottom0, bottom1, bottom2, w6, w7, w8, even);
            top0 = top2;
            mid0 = mid2;
            bottom0 = bottom2;
            FloatVector y = even.add(odd);
            if (relu) {
                y = y.blend(zero, y.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                y = y.add(maskedResidual
                        ? FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER, tailMask)
                        : FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER));
            }
            if (tail) {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER, tailMask);
            } else {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER);
            }
        }
    }

    /**
     * One output row of a 5x5 layer, stride 1 or 2, one pass per kernel row: each pass adds its 5 taps to a
     * partial sum per output column kept in the ring's scratch (L1), the last pass applies the epilogue. The
     * taps are read from the ring's copy of the block's weights. Why passes: any helper that takes or returns a
     * vector is a boxing risk (C2 refuses to inline a callee "already compiled into a big method" or past its
     * node-count cutoff, and then boxes every vector crossing the call); written out whole, 25 taps are too
     * large for C1's profiling tier. Measured with one helper per kernel row: 96-780 B boxed per pixel in 1 of
     * 3 fresh JVMs, from one of those two inlining failures.
     */
    private void row5(float[] rows, int[] bases, int taps, int partial, int outW, MemorySegment out, long o,
                      long outPixel, MemorySegment res, long r, long resPixel, long weights, boolean tail,
                      boolean maskedResidual) {
        int rowTaps = 5 * LANES;
        if (stride == 1) {
            for (int kh = 0; kh < 4; kh++) {
                kernelRow5Stride1(rows, bases[kh], taps + kh * rowTaps, partial, outW, weights, kh == 0);
            }
            lastKernelRow5Stride1(rows, bases[4], taps + 4 * rowTaps, partial, outW, out, o, outPixel, res, r,
                    resPixel, tail, maskedResidual);
        } else {
            for (int kh = 0; kh < 4; kh++) {
                kernelRow5Stride2(rows, bases[kh], taps + kh * rowTaps, partial, outW, weights, kh == 0);
            }
            lastKernelRow5Stride2(rows, bases[4], taps + 4 * rowTaps, partial, outW, out, o, outPixel, res, r,
                    resPixel, tail, maskedResidual);
        }
    }

    // Deliberate unrolls: the four passes differ only in their column scale (a constant each, so the ring loads'
    // bounds checks leave the loop) and in where the sum starts and goes.

    private void kernelRow5Stride1(float[] rows, int base, int tap, int partial, int outW, long weights,
            boolean first) {
        FloatVector w0 = FloatVector.fromArray(SPECIES, rows, tap);
        FloatVector w1 = FloatVector.fromArray(SPECIES, rows, tap + LANES);
        FloatVector w2 = FloatVector.fromArray(SPECIES, rows, tap + 2 * LANES);
        FloatVector w3 = FloatVector.fromArray(SPECIES, rows, tap + 3 * LANES);
        FloatVector w4 = FloatVector.fromArray(SPECIES, rows, tap + 4 * LANES);
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        FloatVector x0 = FloatVector.fromArray(SPECIES, rows, base);
        FloatVector x1 = FloatVector.fromArray(SPECIES, rows, base + LANES);
        FloatVector x2 = FloatVector.fromArray(SPECIES, rows, base + 2 * LANES);
        FloatVector x3 = FloatVector.fromArray(SPECIES, rows, base + 3 * LANES);
        for (int ow = 0; ow < outW; ow++) {
            FloatVector x4 = FloatVector.fromArray(SPECIES, rows, base + (ow + 4) * LANES);
            FloatVector acc = first ? bias : FloatVector.fromArray(SPECIES, rows, partial + ow * LANES);
            acc = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.fma(w0, acc)))));
            x0 = x1;
            x1 = x2;
            x2 = x3;
            x3 = x4;
            acc.intoArray(rows, partial + ow * LANES);
        }
    }

    private void kernelRow5Stride2(float[] rows, int base, int tap, int partial, int outW, long weights,
            boolean first) {
        FloatVector w0 = FloatVector.fromArray(SPECIES, rows, tap);
        FloatVector w1 = FloatVector.fromArray(SPECIES, rows, tap + LANES);
        FloatVector w2 = FloatVector.fromArray(SPECIES, rows, tap + 2 * LANES);
        FloatVector w3 = FloatVector.fromArray(SPECIES, rows, tap + 3 * LANES);
        FloatVector w4 = FloatVector.fromArray(SPECIES, rows, tap + 4 * LANES);
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        FloatVector x0 = FloatVector.fromArray(SPECIES, rows, base);
        FloatVector x1 = FloatVector.fromArray(SPECIES, rows, base + LANES);
        FloatVector x2 = FloatVector.fromArray(SPECIES, rows, base + 2 * LANES);
        for (int ow = 0; ow < outW; ow++) {
            int c = base + (2 * ow + 3) * LANES;
            FloatVector x3 = FloatVector.fromArray(SPECIES, rows, c);
            FloatVector x4 = FloatVector.fromArray(SPECIES, rows, c + LANES);
            FloatVector acc = first ? bias : FloatVector.fromArray(SPECIES, rows, partial + ow * LANES);
            acc = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.fma(w0, acc)))));
            x0 = x2;
            x1 = x3;
            x2 = x4;
            acc.intoArray(rows, partial + ow * LANES);
        }
    }

    private void lastKernelRow5Stride1(float[] rows, int base, int tap, int partial, int outW, MemorySegment out, long o,
            long outPixel, MemorySegment res, long r, long resPixel, boolean tail, boolean maskedResidual) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector w0 = FloatVector.fromArray(SPECIES, rows, tap);
        FloatVector w1 = FloatVector.fromArray(SPECIES, rows, tap + LANES);
        FloatVector w2 = FloatVector.fromArray(SPECIES, rows, tap + 2 * LANES);
        FloatVector w3 = FloatVector.fromArray(SPECIES, rows, tap + 3 * LANES);
        FloatVector w4 = FloatVector.fromArray(SPECIES, rows, tap + 4 * LANES);
        FloatVector x0 = FloatVector.fromArray(SPECIES, rows, base);
        FloatVector x1 = FloatVector.fromArray(SPECIES, rows, base + LANES);
        FloatVector x2 = FloatVector.fromArray(SPECIES, rows, base + 2 * LANES);
        FloatVector x3 = FloatVector.fromArray(SPECIES, rows, base + 3 * LANES);
        for (int ow = 0; ow < outW; ow++) {
            FloatVector x4 = FloatVector.fromArray(SPECIES, rows, base + (ow + 4) * LANES);
            FloatVector acc = FloatVector.fromArray(SPECIES, rows, partial + ow * LANES);
            acc = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.fma(w0, acc)))));
            x0 = x1;
            x1 = x2;
            x2 = x3;
            x3 = x4;
            if (relu) {
                acc = acc.blend(zero, acc.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                acc = acc.add(maskedResidual
                        ? FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER, tailMask)
                        : FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER));
            }
            if (tail) {
                acc.intoMemorySegment(out, o + ow * outPixel, ORDER, tailMask);
            } else {
                acc.intoMemorySegment(out, o + ow * outPixel, ORDER);
            }
        }
    }

    private void lastKernelRow5Stride2(float[] rows, int base, int tap, int partial, int outW, MemorySegment out, long o,
            long outPixel, MemorySegment res, long r, long resPixel, boolean tail, boolean maskedResidual) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector w0 = FloatVector.fromArray(SPECIES, rows, tap);
        FloatVector w1 = FloatVector.fromArray(SPECIES, rows, tap + LANES);
        FloatVector w2 = FloatVector.fromArray(SPECIES, rows, tap + 2 * LANES);
        FloatVector w3 = FloatVector.fromArray(SPECIES, rows, tap + 3 * LANES);
        FloatVector w4 = FloatVector.fromArray(SPECIES, rows, tap + 4 * LANES);
        FloatVector x0 = FloatVector.fromArray(SPECIES, rows, base);
        FloatVector x1 = FloatVector.fromArray(SPECIES, rows, base + LANES);
        FloatVector x2 = FloatVector.fromArray(SPECIES, rows, base + 2 * LANES);
        for (int ow = 0; ow < outW; ow++) {
            int c = base + (2 * ow + 3) * LANES;
            FloatVector x3 = FloatVector.fromArray(SPECIES, rows, c);
            FloatVector x4 = FloatVector.fromArray(SPECIES, rows, c + LANES);
            FloatVector acc = FloatVector.fromArray(SPECIES, rows, partial + ow * LANES);
            acc = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.fma(w0, acc)))));
            x0 = x2;
            x1 = x3;
            x2 = x4;
            if (relu) {
                acc = acc.blend(zero, acc.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                acc = acc.add(maskedResidual
                        ? FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER, tailMask)
                        : FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER));
            }
            if (tail) {
                acc.intoMemorySegment(out, o + ow * outPixel, ORDER, tailMask);
            } else {
                acc.intoMemorySegment(out, o + ow * outPixel, ORDER);
            }
        }
    }

    /** One output row of any other odd kernel size (1, 7 ...), its taps in loops: GhostNet has none. */
    private void rowGeneral(float[] rows, int[] bases, int taps, int outW, MemorySegment out, long o,
                            long outPixel, MemorySegment res, long r, long resPixel, long weights, boolean tail,
                            boolean maskedResidual) {
        int k = kernelSize;
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, packed, weights, ORDER);
        FloatVector zero = FloatVector.zero(SPECIES);
        int rowTaps = k * LANES;
        int columnStep = stride * LANES;
        for (int ow = 0; ow < outW; ow++) {
            int c = ow * columnStep;
            FloatVector y = bias;
            for (int kh = 0; kh < k; kh++) {
                y = rowTaps(rows, bases[kh] + c, taps + kh * rowTaps, y);
            }
            if (relu) {
                y = y.blend(zero, y.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                y = y.add(maskedResidual
                        ? FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER, tailMask)
                        : FloatVector.fromMemorySegment(SPECIES, res, r + ow * resPixel, ORDER));
            }
            if (tail) {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER, tailMask);
            } else {
                y.intoMemorySegment(out, o + ow * outPixel, ORDER);
            }
        }
    }

    /*
     * Three taps of one kernel row whose input columns are already loaded: {@code x0*a + x1*b + x2*c + acc}. Kept out
     * of the row loops on purpose: with every tap inline, the row methods are too large for C1's profiling tier
     * ("out of virtual registers"), and a method that tier cannot compile never reaches C2, so the Vector API ran
     * boxed (0.4 G MAC/s). C2 inlines this small method back.
     */
    private static FloatVector taps3(FloatVector x0, FloatVector x1, FloatVector x2, FloatVector a, FloatVector b,
                                     FloatVector c, FloatVector acc) {
        return x2.fma(c, x1.fma(b, x0.fma(a, acc)));
    }

    /** The k taps of one kernel row, their weights at {@code tap} in the ring's copy of the block's taps. */
    private FloatVector rowTaps(float[] rows, int at, int tap, FloatVector acc) {
        for (int kw = 0; kw < kernelSize; kw++) {
            acc = FloatVector.fromArray(SPECIES, rows, at + kw * LANES)
                    .fma(FloatVector.fromArray(SPECIES, rows, tap + kw * LANES), acc);
        }
        return acc;
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 1x1 convolution as a register-blocked GEMM, (pixels x Cin) times (Cin x Cout), with a fused
 * bias / ReLU / residual epilogue. A template specialised per vector width by {@link VectorSpecialization}.
 *
 * <p>Packed weights (off-heap, 64-byte aligned): one block per {@code NR = 2 * lanes} output channels,
 * {@code (1 + Cin) * NR} floats each, {@code [bias o0..o0+NR) [w(ci=0) o0..o0+NR) ... [w(ci=Cin-1) o0..o0+NR)]}:
 * the order the micro-kernel streams them. Channels past Cout in the last block are zero, so weight loads
 * are never masked; only the epilogue (residual load, store) masks the channel tail.
 *
 * <p>Tensors: pixel p, channel c at float {@code p * channelStride + c}; each tensor's own stride is used,
 * so channel slices of wider tensors work. The micro-kernel's register tile is 8 pixels x 2 vectors
 * (16 accumulators: two FMA ports of 4-cycle latency need 8 in flight, and the rest hide the broadcast loads)
 * where the register file holds it ({@link #EIGHT_BY_TWO}, else 6 x 2 for full blocks and 4 x 2 for a partial
 * one), then 4 x 2 for the pixels left over (a full block without a residual ends with a 4 x 2 tile over its last
 * 4 pixels, the rest 1 x 2); with a residual 4 x 2 throughout (see {@link #run}); and 8 pixels x 1 vector for a
 * block of one vector
 * (a layer of one vector, or the odd last vector, full or partial), so narrow layers keep 8 independent FMA
 * chains too.
 * Tiles this size reach C2 only because C1 never sees them ({@link CompilerDirectives}). The residual is read
 * before the output is stored at the same address, so it may alias {@code out}.
 *
 * <p>A layer of one vector of inputs and half a vector of outputs (16->8 at 512 bits, no residual) goes another
 * way, {@link #tilePairsHalfVector}: broadcasting each input channel into a vector half of whose lanes are
 * never stored spent twice the FMAs, one broadcast per FMA, and a masked store per pixel (16->8 @112x112 alone,
 * contiguous output: 99-102 us, against 25-26 us this way, measured on the Zen 5). Its weights are packed by
 * diagonals ({@link Packing#halfVectorDiagonals}): vector k holds in lane j the weight of output {@code j % 8}
 * and input {@code (j & 8) | ((j + k) % 8)}, so a pixel's 16 input channels, loaded as one vector and rotated by
 * k within each half, meet their weights lane by lane: after 8 FMAs the low half holds the sums over inputs 0-7,
 * the high half over 8-15, and one swap of the halves and an add finish the 8 outputs.
 */
final class VectorPointwiseConv implements VectorKernels.ChannelRangeConv {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final int BLOCK_VECTORS = 2;
    private static final int BLOCK_CHANNELS = BLOCK_VECTORS * LANES;
    private static final int TILE_PIXELS = 4;
    private static final int WIDE_TILE_PIXELS = 8;
    private static final int SIX_PIXELS = 6;
    /**
     * Whether {@link #tile8x2} runs: its 16 accumulators, 2 weight vectors and a broadcast need 19 vector registers.
     * x86 cores have 32 only with AVX-512, which is when the preferred width is 512 bits (at any width this class
     * is specialised to). With AVX2's 16, C2 spilled the tile: on a Zen 3, alone, 112->336 @14x14 took 529-596 us
     * against 307-396 with the 4x2 tile, 480->56 @14x14 335-406 against 189-257 (BENCHMARKS.md).
     */
    private static final boolean EIGHT_BY_TWO = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    /**
     * The input loads of the 8-pixel tiles ({@link #tile8x2}, {@link #tiles8x1}, {@link #tile8x1Partial}): without
     * the alignment check an aligned float load carries, in the loop, for each of the 8 input streams, the narrow
     * layers ran 1.3-1.5x faster on the Zen 4 (16->8 at 112x112: 106 against 157 us alone; 48->12 at 56x56: 81
     * against 104), and the 8x2 tile 1.3x faster on the Xeon (112->336 at 14x14: 74 against 55 G MAC/s alone).
     * The 4-pixel two-vector tiles keep {@link #FLOAT}: unaligned, they made the wide layers 1.3x slower on the
     * Zen 4 (112->336 at 14x14: 215 against 162 us).
     */
    private static final ValueLayout.OfFloat FLOAT_UNALIGNED = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * The input loads of the 4x2 and 8x1 tiles ({@link #tiles4x2}, {@link #tile4x2}, {@link #tile4x2Residual},
     * {@link #tiles8x1}, {@link #tile8x1Partial}) where there are 16 vector registers (no AVX-512):
     * the first pixel's aligned, the others' unaligned. C2 sizes its unrolling of the channel loop by the loop's
     * body, and an aligned load is a check and a branch more. With four aligned loads it did not unroll tiles4x2,
     * 39 instructions per input channel; with none it unrolled 4x, hoisted every load of the unrolled body ahead of
     * the FMAs and spilled the accumulators (112->336 at 14x14 alone: 347 against 233 us); with one it unrolls 2x
     * and keeps everything in registers, 25.5 instructions per channel (189-191 us; 16->16 at 40x40 24.5 -> 20.8,
     * 64->8 at 28x28 in tiles8x1 16.4 -> 15.5, 48->12 at 40x40 in the masked tile4x2 61.6 -> 50.2; a Zen 3). With
     * 32 registers each tile keeps the layouts measured there.
     */
    private static final ValueLayout.OfFloat FIRST_INPUT_4X2 = FLOAT;
    private static final ValueLayout.OfFloat OTHER_INPUTS_4X2 = EIGHT_BY_TWO ? FLOAT : FLOAT_UNALIGNED;
    private static final ValueLayout.OfFloat FIRST_INPUT_8X1 = EIGHT_BY_TWO ? FLOAT_UNALIGNED : FLOAT;
    /** Lanes per half vector, the output channels {@link #tilePairsHalfVector} serves. */
    private static final int HALF = LANES / 2;
    /** Whether {@link #tilePairsHalfVector} exists at this width: its rotations are written out for 8-lane halves. */
    private static final boolean HALF_VECTOR_TILES = HALF == 8;
    private static final VectorShuffle<Float> ROTATE1 = rotateHalves(1);
    private static final VectorShuffle<Float> ROTATE2 = rotateHalves(2);
    private static final VectorShuffle<Float> ROTATE3 = rotateHalves(3);
    private static final VectorShuffle<Float> ROTATE4 = rotateHalves(4);
    private static final VectorShuffle<Float> ROTATE5 = rotateHalves(5);
    private static final VectorShuffle<Float> ROTATE6 = rotateHalves(6);
    private static final VectorShuffle<Float> ROTATE7 = rotateHalves(7);
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(SPECIES, j -> j ^ HALF);

    private final int inChannels;
    private final int outChannels;
    private final boolean relu;
    private final MemorySegment packed;
    private final long blockBytes;
    /** Real channels in the last vector of the last block (all lanes when the block is full). */
    private final VectorMask<Float> lastBlockMask;
    private final VectorMask<Float> allLanes;
    /** The weights by diagonals for {@link #tilePairsHalfVector}; null when this layer is not of its shape. */
    private final MemorySegment diagonals;
    private final VectorMask<Float> lowHalf;

    /** The type of {@link #create}, implemented per width by {@link VectorSpecialization#factory}. */
    interface Factory {
        PointwiseConv create(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                             Activation activation);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static PointwiseConv create(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                Activation activation) {
        return new VectorPointwiseConv(arena, weights, bias, inChannels, outChannels, activation);
    }

    /** {@code weights} are {@code [outChannels][inChannels]}. */
    private VectorPointwiseConv(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                Activation activation) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.relu = activation == Activation.RELU;
        this.blockBytes = Packing.blockBytes(inChannels, BLOCK_CHANNELS);
        this.packed = Packing.blocks(arena, weights, bias, outChannels, inChannels, BLOCK_CHANNELS);
        int tail = Packing.lastBlockOutputs(outChannels, BLOCK_CHANNELS);
        this.lastBlockMask = SPECIES.indexInRange(0, tail > LANES ? tail - LANES : tail);
        this.allLanes = SPECIES.maskAll(true);
        this.diagonals = HALF_VECTOR_TILES && outChannels == HALF && inChannels == LANES
                ? Packing.halfVectorDiagonals(arena, weights, bias, inChannels, LANES) : null;
        this.lowHalf = SPECIES.indexInRange(0, HALF);
    }

    /** Lane j takes lane {@code (j + k) % HALF} of its own half. */
    private static VectorShuffle<Float> rotateHalves(int k) {
        return VectorShuffle.fromOp(SPECIES, j -> (j & HALF) | ((j + k) & (HALF - 1)));
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
    public int blockChannels() {
        return BLOCK_CHANNELS;
    }

    /**
     * Whole vectors: a partial last vector then stores in full. Measured on the Zen 5: a masked store of a
     * partial vector costs about 9 cycles, and 16->8 @112x112 took 52 us with one per pixel against 24 without.
     */
    @Override
    public int paddedOutChannels() {
        return (outChannels + LANES - 1) / LANES * LANES;
    }

    @Override
    public void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo) {
        run(in, out, residual, pixelFrom, pixelTo, 0, outChannels);
    }

    @Override
    public void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo, int channelFrom,
                    int channelTo) {
        run(in, out, residual, pixelFrom, pixelTo, channelFrom, channelTo, false);
    }

    @Override
    public void runLinear(Tensor in, Tensor out, long imageFrom, long imageTo, int featureFrom, int featureTo) {
        run(in, out, null, imageFrom, imageTo, featureFrom, featureTo, true);
    }

    /**
     * Without a residual, every tile of a conv (not {@code gemv}) sums a pixel's channels in the same order, from the
     * bias, input channel after input channel, so a pixel's bits do not depend on which tile computes it: the fused
     * groups' bands and the threads' pieces split the pixels differently from one whole-tensor call
     * (FusedGroupTest), and the 6-pixel tiles start wherever a range does. With a residual the 4x2 tile adds it
     * before the channels and the 1x2 tile after them; those layers keep the tiling they always had (4-pixel tiles
     * from the range's start, which is a multiple of 8 pixels), so their bits depend on the ranges as before.
     */
    private void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo, int channelFrom,
                     int channelTo, boolean gemv) {
        assert channelFrom % BLOCK_CHANNELS == 0 && (channelTo % BLOCK_CHANNELS == 0 || channelTo == outChannels)
                && 0 <= channelFrom && channelFrom <= channelTo && channelTo <= outChannels
                : channelFrom + ".." + channelTo + " of " + outChannels;
        boolean padded = out.channels() != outChannels;
        assert in.channels() == inChannels && (!padded || residual == null && out.channels() == paddedOutChannels()
                && channelTo == outChannels) : in + " -> " + out;
        assert in.pixels() == out.pixels() && (residual == null || residual.sameShape(out)) : in + ", " + residual;
        assert 0 <= pixelFrom && pixelFrom <= pixelTo && pixelTo <= out.pixels() : pixelFrom + ".." + pixelTo;
        int blocks = (outChannels + BLOCK_CHANNELS - 1) / BLOCK_CHANNELS;
        MemorySegment inSeg = in.segment();
        MemorySegment outSeg = out.segment();
        // Residual loads read through readable(): with the slack after a tensor, even the last pixel's loads,
        // full or masked, stay inside the segment, where the Vector API's intrinsic applies; a masked load that
        // ran past the segment's end took its allocating Java fallback (480-640 B per call on the conv shortcuts).
        MemorySegment resSeg = residual == null ? null : residual.readable();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        long resPixel = residual == null ? 0 : (long) residual.channelStride() * Float.BYTES;
        if (diagonals != null && residual == null) {
            tilePairsHalfVector(inSeg, inPixel, outSeg, outPixel, pixelFrom, pixelTo);
            return;
        }
        for (int b = channelFrom / BLOCK_CHANNELS; b < (channelTo + BLOCK_CHANNELS - 1) / BLOCK_CHANNELS; b++) {
            long weights = b * blockBytes;
            long channelByte = (long) b * BLOCK_CHANNELS * Float.BYTES;
            boolean last = b == blocks - 1;
            VectorMask<Float> mask = last && !padded ? lastBlockMask : allLanes;
            // Multi-pixel tiles with a residual add it before the activation (right only without ReLU) and load
            // it unmasked: in a partial block the extra lanes read the next pixel's channels, which are never
            // stored, so tiles run while a full load stays inside the residual's segment; the rest, and ReLU
            // with a residual, go one pixel at a time.
            long tiledTo = pixelTo;
            if (residual != null) {
                long lastInRange = (resSeg.byteSize() - channelByte - BLOCK_VECTORS * VECTOR_BYTES) / resPixel;
                tiledTo = relu ? pixelFrom : Math.max(pixelFrom, Math.min(pixelTo, lastInRange + 1));
            }
            long p = pixelFrom;
            if (outChannels - b * BLOCK_CHANNELS > LANES) {
                // 8 pixels per tile without a residual only: an 8x2 residual tile, as fast alone, ran the
                // network's conv shortcuts at 7-12 G MAC/s against the 4x2 one's 15-30 (BENCHMARKS.md).
                for (; EIGHT_BY_TWO && residual == null && p + WIDE_TILE_PIXELS <= pixelTo; p += WIDE_TILE_PIXELS) {
                    tile8x2(inSeg, p * inPixel, inPixel, weights, outSeg, p * outPixel + channelByte, outPixel, mask);
                }
                if (residual == null && mask == allLanes) {
                    if (!EIGHT_BY_TWO) {
                        p = tiles6x2(inSeg, inPixel, weights, outSeg, outPixel, channelByte, p, tiledTo);
                    }
                    p = tiles4x2(inSeg, inPixel, weights, outSeg, outPixel, channelByte, p, tiledTo);
                    // The 1-3 pixels left: one more 4x2 tile over the range's last 4 pixels, recomputing up to 3 to
                    // the same bits (the input never aliases the output), instead of a single-pixel tile each,
                    // whose two FMA chains run K deep at the FMA's latency.
                    if (p < tiledTo && tiledTo - pixelFrom >= TILE_PIXELS) {
                        p = tiles4x2(inSeg, inPixel, weights, outSeg, outPixel, channelByte, tiledTo - TILE_PIXELS,
                                tiledTo);
                    }
                }
                for (; p + TILE_PIXELS <= tiledTo; p += TILE_PIXELS) {
                    if (residual == null) {
                        tile4x2(inSeg, p * inPixel, inPixel, weights, outSeg, p * outPixel + channelByte, outPixel,
                                mask);
                    } else {
                        tile4x2Residual(inSeg, p * inPixel, inPixel, weights, outSeg, p * outPixel + channelByte,
                                outPixel, resSeg, p * resPixel + channelByte, resPixel, mask);
                    }
                }
                for (; p < pixelTo; p++) {
                    if (gemv) {
                        gemv1x2(inSeg, p * inPixel, weights, outSeg, p * outPixel + channelByte, mask);
                    } else {
                        tile1x2(inSeg, p * inPixel, weights, outSeg, p * outPixel + channelByte,
                                resSeg, p * resPixel + channelByte, mask);
                    }
                }
            } else {
                // The block holds one vector of channels: 8 pixels per tile keep 8 FMA chains. Its epilogue applies
                // the activation before the residual, so it serves every residual case. A partial vector goes 8
                // pixels at a time with masked stores and no residual (a layer of 12 channels at 512 bits), the
                // rest one pixel at a time.
                if (mask == allLanes) {
                    p = tiles8x1(inSeg, inPixel, weights, outSeg, outPixel, channelByte, resSeg, resPixel, p, pixelTo);
                }
                for (; mask != allLanes && residual == null && p + WIDE_TILE_PIXELS <= tiledTo; p += WIDE_TILE_PIXELS) {
                    tile8x1Partial(inSeg, p * inPixel, inPixel, weights, outSeg, p * outPixel + channelByte, outPixel,
                            mask);
                }
                for (; p < pixelTo; p++) {
                    tile1x1(inSeg, p * inPixel, weights, outSeg, p * outPixel + channelByte,
                            resSeg, p * resPixel + channelByte, mask);
                }
            }
        }
    }

    // Deliberate unrolls: the tiles repeat one another's shape on purpose, one method per tile size and epilogue.
    // Each multi-pixel tile is its own method per epilogue, written out inline, with no masked loads. C2
    // stops inlining helpers in methods this large (and would box every accumulator). C1 runs out of
    // virtual registers on the 8-pixel tiles at tier 3, and a tile C1 fails at tier 3 after compiling it at
    // tier 2 stays in slow C1 code for good (measured: 0.5 instead of 74 G MAC/s): CompilerDirectives keeps
    // C1 off the 8-pixel tiles (tile8x*); the smaller ones, for the pixels left over and the batch-1 linear
    // layers, stay within C1's reach, so they are compiled early instead of waiting in the interpreter.

    /**
     * Pixels {@code [from, to)} of a layer of one vector of inputs and half a vector of outputs, two at a time (the
     * last one alone if they are odd): per pixel one load, 7 rotations and 8 FMAs in two chains, see the class
     * comment. Two pixels with contiguous outputs are stored together as one full vector, others with a masked
     * store each. The pixel loop is in here and the weights stay in registers: called per pair, with the weights
     * loaded per pixel, 16->8 @112x112 took 52-56 us instead of 25-26.
     */
    private void tilePairsHalfVector(MemorySegment in, long inPixel, MemorySegment out, long outPixel, long from,
                                     long to) {
        MemorySegment w = diagonals;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector bias = FloatVector.fromMemorySegment(SPECIES, w, 0, ORDER);
        VectorMask<Float> low = lowHalf;
        VectorMask<Float> high = low.not();
        boolean contiguous = outPixel == HALF * Float.BYTES;
        // One vector of inputs, so the 8 diagonals stay in registers for the whole loop.
        FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, VECTOR_BYTES, ORDER);
        FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, 2 * VECTOR_BYTES, ORDER);
        FloatVector w2 = FloatVector.fromMemorySegment(SPECIES, w, 3 * VECTOR_BYTES, ORDER);
        FloatVector w3 = FloatVector.fromMemorySegment(SPECIES, w, 4 * VECTOR_BYTES, ORDER);
        FloatVector w4 = FloatVector.fromMemorySegment(SPECIES, w, 5 * VECTOR_BYTES, ORDER);
        FloatVector w5 = FloatVector.fromMemorySegment(SPECIES, w, 6 * VECTOR_BYTES, ORDER);
        FloatVector w6 = FloatVector.fromMemorySegment(SPECIES, w, 7 * VECTOR_BYTES, ORDER);
        FloatVector w7 = FloatVector.fromMemorySegment(SPECIES, w, 8 * VECTOR_BYTES, ORDER);
        for (long p = from; p < to; p += 2) {
            boolean single = p + 1 == to;
            long a0 = p * inPixel;
            FloatVector x0 = FloatVector.fromMemorySegment(SPECIES, in, a0, ORDER);
            FloatVector x1 = FloatVector.fromMemorySegment(SPECIES, in, single ? a0 : a0 + inPixel, ORDER);
            FloatVector c0 = x0.fma(w0, bias);
            FloatVector c1 = x1.fma(w0, bias);
            FloatVector d0 = x0.rearrange(ROTATE1).mul(w1);
            FloatVector d1 = x1.rearrange(ROTATE1).mul(w1);
            c0 = x0.rearrange(ROTATE2).fma(w2, c0);
            c1 = x1.rearrange(ROTATE2).fma(w2, c1);
            d0 = x0.rearrange(ROTATE3).fma(w3, d0);
            d1 = x1.rearrange(ROTATE3).fma(w3, d1);
            c0 = x0.rearrange(ROTATE4).fma(w4, c0);
            c1 = x1.rearrange(ROTATE4).fma(w4, c1);
            d0 = x0.rearrange(ROTATE5).fma(w5, d0);
            d1 = x1.rearrange(ROTATE5).fma(w5, d1);
            c0 = x0.rearrange(ROTATE6).fma(w6, c0);
            c1 = x1.rearrange(ROTATE6).fma(w6, c1);
            d0 = x0.rearrange(ROTATE7).fma(w7, d0);
            d1 = x1.rearrange(ROTATE7).fma(w7, d1);
            c0 = c0.add(d0);
            c0 = c0.add(c0.rearrange(SWAP_HALVES));
            c1 = c1.add(d1);
            c1 = c1.add(c1.rearrange(SWAP_HALVES));
            if (relu) {
                c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
                c1 = c1.blend(zero, c1.compare(VectorOperators.LE, zero));
            }
            long o0 = p * outPixel;
            if (single) {
                c0.intoMemorySegment(out, o0, ORDER, low);
            } else if (contiguous) {
                c0.blend(c1, high).intoMemorySegment(out, o0, ORDER);
            } else {
                c0.intoMemorySegment(out, o0, ORDER, low);
                c1.intoMemorySegment(out, o0 + outPixel, ORDER, low);
            }
        }
    }

    /**
     * {@link #tiles4x2} with 6 pixels where there are 16 vector registers ({@link #EIGHT_BY_TWO} false): 12
     * accumulators, 2 weight vectors and a broadcast, 12 independent FMAs per input channel, with the input loads of
     * {@link #FIRST_INPUT_4X2}. Zen 3, alone, min of fresh JVMs, against the 4x2 tiles: 112->336 at 14x14 189-196 ->
     * 171-172 us (85% of the peak), 64->64 at 40x40 188 -> 171-173, 16->16 at 40x40 21 -> 18.5. (Tried in 2026-12-03's
     * first session with every input load aligned, where C2 did not unroll the channel loop: no gain then.)
     */
    private long tiles6x2(MemorySegment in, long inPixel, long weights, MemorySegment out, long outPixel,
                          long channelByte, long p, long to) {
        MemorySegment w = packed;
        long end = (long) inChannels * Float.BYTES;
        for (; p + SIX_PIXELS <= to; p += SIX_PIXELS) {
            long a0 = p * inPixel;
            long o0 = p * outPixel + channelByte;
            FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
            FloatVector bias1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
            FloatVector c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1;
            FloatVector c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1;
            long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel, a4 = a3 + inPixel, a5 = a4 + inPixel;
            long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
            for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
                FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
                FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER);
                FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_4X2, a0 + i));
                c00 = w0.fma(x0, c00);
                c01 = w1.fma(x0, c01);
                FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a1 + i));
                c10 = w0.fma(x1, c10);
                c11 = w1.fma(x1, c11);
                FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a2 + i));
                c20 = w0.fma(x2, c20);
                c21 = w1.fma(x2, c21);
                FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a3 + i));
                c30 = w0.fma(x3, c30);
                c31 = w1.fma(x3, c31);
                FloatVector x4 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a4 + i));
                c40 = w0.fma(x4, c40);
                c41 = w1.fma(x4, c41);
                FloatVector x5 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a5 + i));
                c50 = w0.fma(x5, c50);
                c51 = w1.fma(x5, c51);
            }
            if (relu) {
                FloatVector zero = FloatVector.zero(SPECIES);
                c00 = c00.blend(zero, c00.compare(VectorOperators.LE, zero));
                c01 = c01.blend(zero, c01.compare(VectorOperators.LE, zero));
                c10 = c10.blend(zero, c10.compare(VectorOperators.LE, zero));
                c11 = c11.blend(zero, c11.compare(VectorOperators.LE, zero));
                c20 = c20.blend(zero, c20.compare(VectorOperators.LE, zero));
                c21 = c21.blend(zero, c21.compare(VectorOperators.LE, zero));
                c30 = c30.blend(zero, c30.compare(VectorOperators.LE, zero));
                c31 = c31.blend(zero, c31.compare(VectorOperators.LE, zero));
                c40 = c40.blend(zero, c40.compare(VectorOperators.LE, zero));
                c41 = c41.blend(zero, c41.compare(VectorOperators.LE, zero));
                c50 = c50.blend(zero, c50.compare(VectorOperators.LE, zero));
                c51 = c51.blend(zero, c51.compare(VectorOperators.LE, zero));
            }
            c00.intoMemorySegment(out, o0, ORDER);
            c01.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER);
            c10.intoMemorySegment(out, o0 + outPixel, ORDER);
            c11.intoMemorySegment(out, o0 + outPixel + VECTOR_BYTES, ORDER);
            c20.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
            c21.intoMemorySegment(out, o0 + 2 * outPixel + VECTOR_BYTES, ORDER);
            c30.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
            c31.intoMemorySegment(out, o0 + 3 * outPixel + VECTOR_BYTES, ORDER);
            c40.intoMemorySegment(out, o0 + 4 * outPixel, ORDER);
            c41.intoMemorySegment(out, o0 + 4 * outPixel + VECTOR_BYTES, ORDER);
            c50.intoMemorySegment(out, o0 + 5 * outPixel, ORDER);
            c51.intoMemorySegment(out, o0 + 5 * outPixel + VECTOR_BYTES, ORDER);
        }
        return p;
    }

    /**
     * 4 pixels x 2 full vectors, tile after tile over pixels {@code [p, to)}; returns the first pixel left (fewer
     * than 4 remain). Per input channel 2 weight loads, 4 broadcasts, 8 independent FMAs. The pixel loop is in here
     * so that what C2 does once per call (the segments' checks, the hoisted bounds checks of the 6 streams, loop
     * set-up) is paid once per run of tiles, not per tile: called per tile, 16->16 at 40x40 cost ~137 cycles per
     * tile on top of its FMAs (a Zen 3, from 16->16 and 64->64 alone). No masks: a partial last block goes to
     * {@link #tile4x2}. With its masked stores in here too, even on a branch never taken for full blocks, C2's code
     * for the full blocks lost the gain once a partial block had run (112->336 at 14x14 alone after a 48->12
     * layer: 251-253 us, as per tile, against 233-234 without).
     */
    private long tiles4x2(MemorySegment in, long inPixel, long weights, MemorySegment out, long outPixel,
                          long channelByte, long p, long to) {
        MemorySegment w = packed;
        long end = (long) inChannels * Float.BYTES;
        for (; p + TILE_PIXELS <= to; p += TILE_PIXELS) {
            long a0 = p * inPixel;
            long o0 = p * outPixel + channelByte;
            FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
            FloatVector bias1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
            FloatVector c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1;
            FloatVector c30 = bias0, c31 = bias1;
            long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel;
            long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
            for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
                FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
                FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER);
                FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_4X2, a0 + i));
                c00 = w0.fma(x0, c00);
                c01 = w1.fma(x0, c01);
                FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a1 + i));
                c10 = w0.fma(x1, c10);
                c11 = w1.fma(x1, c11);
                FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a2 + i));
                c20 = w0.fma(x2, c20);
                c21 = w1.fma(x2, c21);
                FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a3 + i));
                c30 = w0.fma(x3, c30);
                c31 = w1.fma(x3, c31);
            }
            if (relu) {
                FloatVector zero = FloatVector.zero(SPECIES);
                c00 = c00.blend(zero, c00.compare(VectorOperators.LE, zero));
                c01 = c01.blend(zero, c01.compare(VectorOperators.LE, zero));
                c10 = c10.blend(zero, c10.compare(VectorOperators.LE, zero));
                c11 = c11.blend(zero, c11.compare(VectorOperators.LE, zero));
                c20 = c20.blend(zero, c20.compare(VectorOperators.LE, zero));
                c21 = c21.blend(zero, c21.compare(VectorOperators.LE, zero));
                c30 = c30.blend(zero, c30.compare(VectorOperators.LE, zero));
                c31 = c31.blend(zero, c31.compare(VectorOperators.LE, zero));
            }
            c00.intoMemorySegment(out, o0, ORDER);
            c01.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER);
            c10.intoMemorySegment(out, o0 + outPixel, ORDER);
            c11.intoMemorySegment(out, o0 + outPixel + VECTOR_BYTES, ORDER);
            c20.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
            c21.intoMemorySegment(out, o0 + 2 * outPixel + VECTOR_BYTES, ORDER);
            c30.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
            c31.intoMemorySegment(out, o0 + 3 * outPixel + VECTOR_BYTES, ORDER);
        }
        return p;
    }

    /** 4 pixels x 2 vectors: per input channel 2 weight loads, 4 broadcasts, 8 independent FMAs. */
    private void tile4x2(MemorySegment in, long a0, long inPixel, long weights, MemorySegment out, long o0,
                         long outPixel, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector bias1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        FloatVector c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1;
        FloatVector c30 = bias0, c31 = bias1;
        long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel;
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
            FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_4X2, a0 + i));
            c00 = w0.fma(x0, c00);
            c01 = w1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a1 + i));
            c10 = w0.fma(x1, c10);
            c11 = w1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a2 + i));
            c20 = w0.fma(x2, c20);
            c21 = w1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a3 + i));
            c30 = w0.fma(x3, c30);
            c31 = w1.fma(x3, c31);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = c00.blend(zero, c00.compare(VectorOperators.LE, zero));
            c01 = c01.blend(zero, c01.compare(VectorOperators.LE, zero));
            c10 = c10.blend(zero, c10.compare(VectorOperators.LE, zero));
            c11 = c11.blend(zero, c11.compare(VectorOperators.LE, zero));
            c20 = c20.blend(zero, c20.compare(VectorOperators.LE, zero));
            c21 = c21.blend(zero, c21.compare(VectorOperators.LE, zero));
            c30 = c30.blend(zero, c30.compare(VectorOperators.LE, zero));
            c31 = c31.blend(zero, c31.compare(VectorOperators.LE, zero));
        }
        c00.intoMemorySegment(out, o0, ORDER);
        c01.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER, mask);
        c10.intoMemorySegment(out, o0 + outPixel, ORDER);
        c11.intoMemorySegment(out, o0 + outPixel + VECTOR_BYTES, ORDER, mask);
        c20.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
        c21.intoMemorySegment(out, o0 + 2 * outPixel + VECTOR_BYTES, ORDER, mask);
        c30.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
        c31.intoMemorySegment(out, o0 + 3 * outPixel + VECTOR_BYTES, ORDER, mask);
    }

    /** 8 pixels x 2 vectors: per input channel 2 weight loads, 8 broadcasts, 16 independent FMAs. */
    private void tile8x2(MemorySegment in, long a0, long inPixel, long weights, MemorySegment out, long o0,
                         long outPixel, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector bias1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        FloatVector c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1;
        FloatVector c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1;
        FloatVector c60 = bias0, c61 = bias1, c70 = bias0, c71 = bias1;
        long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel, a4 = a3 + inPixel, a5 = a4 + inPixel;
        long a6 = a5 + inPixel, a7 = a6 + inPixel;
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
            FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a0 + i));
            c00 = w0.fma(x0, c00);
            c01 = w1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a1 + i));
            c10 = w0.fma(x1, c10);
            c11 = w1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a2 + i));
            c20 = w0.fma(x2, c20);
            c21 = w1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a3 + i));
            c30 = w0.fma(x3, c30);
            c31 = w1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a4 + i));
            c40 = w0.fma(x4, c40);
            c41 = w1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a5 + i));
            c50 = w0.fma(x5, c50);
            c51 = w1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a6 + i));
            c60 = w0.fma(x6, c60);
            c61 = w1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a7 + i));
            c70 = w0.fma(x7, c70);
            c71 = w1.fma(x7, c71);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = c00.blend(zero, c00.compare(VectorOperators.LE, zero));
            c01 = c01.blend(zero, c01.compare(VectorOperators.LE, zero));
            c10 = c10.blend(zero, c10.compare(VectorOperators.LE, zero));
            c11 = c11.blend(zero, c11.compare(VectorOperators.LE, zero));
            c20 = c20.blend(zero, c20.compare(VectorOperators.LE, zero));
            c21 = c21.blend(zero, c21.compare(VectorOperators.LE, zero));
            c30 = c30.blend(zero, c30.compare(VectorOperators.LE, zero));
            c31 = c31.blend(zero, c31.compare(VectorOperators.LE, zero));
            c40 = c40.blend(zero, c40.compare(VectorOperators.LE, zero));
            c41 = c41.blend(zero, c41.compare(VectorOperators.LE, zero));
            c50 = c50.blend(zero, c50.compare(VectorOperators.LE, zero));
            c51 = c51.blend(zero, c51.compare(VectorOperators.LE, zero));
            c60 = c60.blend(zero, c60.compare(VectorOperators.LE, zero));
            c61 = c61.blend(zero, c61.compare(VectorOperators.LE, zero));
            c70 = c70.blend(zero, c70.compare(VectorOperators.LE, zero));
            c71 = c71.blend(zero, c71.compare(VectorOperators.LE, zero));
        }
        c00.intoMemorySegment(out, o0, ORDER);
        c01.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER, mask);
        c10.intoMemorySegment(out, o0 + outPixel, ORDER);
        c11.intoMemorySegment(out, o0 + outPixel + VECTOR_BYTES, ORDER, mask);
        c20.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
        c21.intoMemorySegment(out, o0 + 2 * outPixel + VECTOR_BYTES, ORDER, mask);
        c30.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
        c31.intoMemorySegment(out, o0 + 3 * outPixel + VECTOR_BYTES, ORDER, mask);
        c40.intoMemorySegment(out, o0 + 4 * outPixel, ORDER);
        c41.intoMemorySegment(out, o0 + 4 * outPixel + VECTOR_BYTES, ORDER, mask);
        c50.intoMemorySegment(out, o0 + 5 * outPixel, ORDER);
        c51.intoMemorySegment(out, o0 + 5 * outPixel + VECTOR_BYTES, ORDER, mask);
        c60.intoMemorySegment(out, o0 + 6 * outPixel, ORDER);
        c61.intoMemorySegment(out, o0 + 6 * outPixel + VECTOR_BYTES, ORDER, mask);
        c70.intoMemorySegment(out, o0 + 7 * outPixel, ORDER);
        c71.intoMemorySegment(out, o0 + 7 * outPixel + VECTOR_BYTES, ORDER, mask);
    }

    /** 4 pixels x 2 vectors of a full block, activation NONE, plus the residual. */
    private void tile4x2Residual(MemorySegment in, long a0, long inPixel, long weights, MemorySegment out, long o0,
                         long outPixel, MemorySegment res, long r0, long resPixel, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector bias1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        // The residual joins the accumulators up front, read before anything is stored (it may alias out);
        // full blocks only, so its loads need no mask.
        FloatVector c00 = bias0.add(FloatVector.fromMemorySegment(SPECIES, res, r0, ORDER));
        FloatVector c01 = bias1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + VECTOR_BYTES, ORDER));
        FloatVector c10 = bias0.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + resPixel, ORDER));
        FloatVector c11 = bias1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + resPixel + VECTOR_BYTES, ORDER));
        FloatVector c20 = bias0.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 2 * resPixel, ORDER));
        FloatVector c21 = bias1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 2 * resPixel + VECTOR_BYTES, ORDER));
        FloatVector c30 = bias0.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 3 * resPixel, ORDER));
        FloatVector c31 = bias1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 3 * resPixel + VECTOR_BYTES, ORDER));
        long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel;
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
            FloatVector w1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_4X2, a0 + i));
            c00 = w0.fma(x0, c00);
            c01 = w1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a1 + i));
            c10 = w0.fma(x1, c10);
            c11 = w1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a2 + i));
            c20 = w0.fma(x2, c20);
            c21 = w1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(OTHER_INPUTS_4X2, a3 + i));
            c30 = w0.fma(x3, c30);
            c31 = w1.fma(x3, c31);
        }
        c00.intoMemorySegment(out, o0, ORDER);
        c01.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER, mask);
        c10.intoMemorySegment(out, o0 + outPixel, ORDER);
        c11.intoMemorySegment(out, o0 + outPixel + VECTOR_BYTES, ORDER, mask);
        c20.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
        c21.intoMemorySegment(out, o0 + 2 * outPixel + VECTOR_BYTES, ORDER, mask);
        c30.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
        c31.intoMemorySegment(out, o0 + 3 * outPixel + VECTOR_BYTES, ORDER, mask);
    }

    /**
     * 8 pixels x 1 full vector, tile after tile over pixels {@code [p, to)} (the pixel loop in here, as in
     * {@link #tiles4x2}); returns the first pixel left. Per input channel 1 weight load, 8 broadcasts, 8 independent
     * FMAs. The epilogue is act(acc) + residual (null for none), all residuals read before any store (so it may
     * alias out). No masks: with a masked store per pixel (an epilogue shared with the partial vector) C2 did not
     * finish compiling this method and it stayed in C1 code at ~1% of the peak.
     */
    private long tiles8x1(MemorySegment in, long inPixel, long weights, MemorySegment out, long outPixel,
                          long channelByte, MemorySegment res, long resPixel, long p, long to) {
        MemorySegment w = packed;
        long end = (long) inChannels * Float.BYTES;
        for (; p + WIDE_TILE_PIXELS <= to; p += WIDE_TILE_PIXELS) {
            long a0 = p * inPixel;
            long o0 = p * outPixel + channelByte;
            long r0 = p * resPixel + channelByte;
            FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
            FloatVector c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0, c4 = bias0, c5 = bias0, c6 = bias0, c7 = bias0;
            long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel, a4 = a3 + inPixel, a5 = a4 + inPixel;
            long a6 = a5 + inPixel, a7 = a6 + inPixel;
            long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
            for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
                FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
                c0 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_8X1, a0 + i)), c0);
                c1 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a1 + i)), c1);
                c2 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a2 + i)), c2);
                c3 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a3 + i)), c3);
                c4 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a4 + i)), c4);
                c5 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a5 + i)), c5);
                c6 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a6 + i)), c6);
                c7 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a7 + i)), c7);
            }
            if (relu) {
                FloatVector zero = FloatVector.zero(SPECIES);
                c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
                c1 = c1.blend(zero, c1.compare(VectorOperators.LE, zero));
                c2 = c2.blend(zero, c2.compare(VectorOperators.LE, zero));
                c3 = c3.blend(zero, c3.compare(VectorOperators.LE, zero));
                c4 = c4.blend(zero, c4.compare(VectorOperators.LE, zero));
                c5 = c5.blend(zero, c5.compare(VectorOperators.LE, zero));
                c6 = c6.blend(zero, c6.compare(VectorOperators.LE, zero));
                c7 = c7.blend(zero, c7.compare(VectorOperators.LE, zero));
            }
            if (res != null) {
                c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r0, ORDER));
                c1 = c1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + resPixel, ORDER));
                c2 = c2.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 2 * resPixel, ORDER));
                c3 = c3.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 3 * resPixel, ORDER));
                c4 = c4.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 4 * resPixel, ORDER));
                c5 = c5.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 5 * resPixel, ORDER));
                c6 = c6.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 6 * resPixel, ORDER));
                c7 = c7.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + 7 * resPixel, ORDER));
            }
            c0.intoMemorySegment(out, o0, ORDER);
            c1.intoMemorySegment(out, o0 + outPixel, ORDER);
            c2.intoMemorySegment(out, o0 + 2 * outPixel, ORDER);
            c3.intoMemorySegment(out, o0 + 3 * outPixel, ORDER);
            c4.intoMemorySegment(out, o0 + 4 * outPixel, ORDER);
            c5.intoMemorySegment(out, o0 + 5 * outPixel, ORDER);
            c6.intoMemorySegment(out, o0 + 6 * outPixel, ORDER);
            c7.intoMemorySegment(out, o0 + 7 * outPixel, ORDER);
        }
        return p;
    }

    /**
     * 8 pixels x 1 partial vector: a last block of fewer than {@code lanes} channels (12 at 512 bits), no
     * residual, masked stores; 8 FMA chains like {@link #tiles8x1}.
     */
    private void tile8x1Partial(MemorySegment in, long a0, long inPixel, long weights, MemorySegment out, long o0,
                                long outPixel, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector bias0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0, c4 = bias0, c5 = bias0, c6 = bias0, c7 = bias0;
        long a1 = a0 + inPixel, a2 = a1 + inPixel, a3 = a2 + inPixel, a4 = a3 + inPixel, a5 = a4 + inPixel;
        long a6 = a5 + inPixel, a7 = a6 + inPixel;
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector w0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER);
            c0 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FIRST_INPUT_8X1, a0 + i)), c0);
            c1 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a1 + i)), c1);
            c2 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a2 + i)), c2);
            c3 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a3 + i)), c3);
            c4 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a4 + i)), c4);
            c5 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a5 + i)), c5);
            c6 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a6 + i)), c6);
            c7 = w0.fma(FloatVector.broadcast(SPECIES, in.get(FLOAT_UNALIGNED, a7 + i)), c7);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
            c1 = c1.blend(zero, c1.compare(VectorOperators.LE, zero));
            c2 = c2.blend(zero, c2.compare(VectorOperators.LE, zero));
            c3 = c3.blend(zero, c3.compare(VectorOperators.LE, zero));
            c4 = c4.blend(zero, c4.compare(VectorOperators.LE, zero));
            c5 = c5.blend(zero, c5.compare(VectorOperators.LE, zero));
            c6 = c6.blend(zero, c6.compare(VectorOperators.LE, zero));
            c7 = c7.blend(zero, c7.compare(VectorOperators.LE, zero));
        }
        c0.intoMemorySegment(out, o0, ORDER, mask);
        c1.intoMemorySegment(out, o0 + outPixel, ORDER, mask);
        c2.intoMemorySegment(out, o0 + 2 * outPixel, ORDER, mask);
        c3.intoMemorySegment(out, o0 + 3 * outPixel, ORDER, mask);
        c4.intoMemorySegment(out, o0 + 4 * outPixel, ORDER, mask);
        c5.intoMemorySegment(out, o0 + 5 * outPixel, ORDER, mask);
        c6.intoMemorySegment(out, o0 + 6 * outPixel, ORDER, mask);
        c7.intoMemorySegment(out, o0 + 7 * outPixel, ORDER, mask);
    }

    /**
     * 1 pixel x 2 vectors: a conv's pixels left over after the multi-pixel tiles, and ReLU + residual. One chain per
     * vector, in the tiles' order (see {@link #run}).
     */
    private void tile1x2(MemorySegment in, long a0, long weights, MemorySegment out, long o0,
                         MemorySegment res, long r0, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector x = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i));
            c0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER).fma(x, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER).fma(x, c1);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
            c1 = c1.blend(zero, c1.compare(VectorOperators.LE, zero));
        }
        if (res != null) {
            c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r0, ORDER));
            c1 = c1.add(FloatVector.fromMemorySegment(SPECIES, res, r0 + VECTOR_BYTES, ORDER, mask));
        }
        c0.intoMemorySegment(out, o0, ORDER);
        c1.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER, mask);
    }

    /**
     * 1 pixel x 2 vectors of a fully connected layer (a GEMV; {@link #runLinear}). The input channels are split four
     * ways (channel i into partial sum i % 4), so 8 independent FMA chains and 8 weight loads are in flight per step
     * instead of 2: at 1 pixel the weights stream from L3 or memory, and two chains left the loads latency-bound
     * (960->1280: 0.26 against 0.50 ms with the weights out of cache, measured).
     */
    private void gemv1x2(MemorySegment in, long a0, long weights, MemorySegment out, long o0,
                         VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        FloatVector c1 = FloatVector.fromMemorySegment(SPECIES, w, weights + VECTOR_BYTES, ORDER);
        FloatVector d0 = zero, d1 = zero, e0 = zero, e1 = zero, f0 = zero, f1 = zero;
        long step = BLOCK_VECTORS * VECTOR_BYTES;
        long wo = weights + step;
        long end = (long) inChannels * Float.BYTES;
        long i = 0;
        for (; i + 4 * Float.BYTES <= end; i += 4 * Float.BYTES, wo += 4 * step) {
            FloatVector x0 = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i));
            FloatVector x1 = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i + Float.BYTES));
            FloatVector x2 = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i + 2 * Float.BYTES));
            FloatVector x3 = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i + 3 * Float.BYTES));
            c0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER).fma(x0, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER).fma(x0, c1);
            d0 = FloatVector.fromMemorySegment(SPECIES, w, wo + step, ORDER).fma(x1, d0);
            d1 = FloatVector.fromMemorySegment(SPECIES, w, wo + step + VECTOR_BYTES, ORDER).fma(x1, d1);
            e0 = FloatVector.fromMemorySegment(SPECIES, w, wo + 2 * step, ORDER).fma(x2, e0);
            e1 = FloatVector.fromMemorySegment(SPECIES, w, wo + 2 * step + VECTOR_BYTES, ORDER).fma(x2, e1);
            f0 = FloatVector.fromMemorySegment(SPECIES, w, wo + 3 * step, ORDER).fma(x3, f0);
            f1 = FloatVector.fromMemorySegment(SPECIES, w, wo + 3 * step + VECTOR_BYTES, ORDER).fma(x3, f1);
        }
        for (; i < end; i += Float.BYTES, wo += step) {
            FloatVector x = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i));
            c0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER).fma(x, c0);
            c1 = FloatVector.fromMemorySegment(SPECIES, w, wo + VECTOR_BYTES, ORDER).fma(x, c1);
        }
        c0 = c0.add(d0).add(e0.add(f0));
        c1 = c1.add(d1).add(e1.add(f1));
        if (relu) {
            c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
            c1 = c1.blend(zero, c1.compare(VectorOperators.LE, zero));
        }
        c0.intoMemorySegment(out, o0, ORDER);
        c1.intoMemorySegment(out, o0 + VECTOR_BYTES, ORDER, mask);
    }

    /** 1 pixel x 1 vector. */
    private void tile1x1(MemorySegment in, long a0, long weights, MemorySegment out, long o0,
                         MemorySegment res, long r0, VectorMask<Float> mask) {
        MemorySegment w = packed;
        FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, w, weights, ORDER);
        long wo = weights + BLOCK_VECTORS * VECTOR_BYTES;
        long end = (long) inChannels * Float.BYTES;
        for (long i = 0; i < end; i += Float.BYTES, wo += BLOCK_VECTORS * VECTOR_BYTES) {
            FloatVector x = FloatVector.broadcast(SPECIES, in.get(FLOAT, a0 + i));
            c0 = FloatVector.fromMemorySegment(SPECIES, w, wo, ORDER).fma(x, c0);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c0 = c0.blend(zero, c0.compare(VectorOperators.LE, zero));
        }
        if (res != null) {
            c0 = c0.add(FloatVector.fromMemorySegment(SPECIES, res, r0, ORDER, mask));
        }
        if (mask == allLanes) {
            c0.intoMemorySegment(out, o0, ORDER);
        } else {
            c0.intoMemorySegment(out, o0, ORDER, mask);
        }
    }
}

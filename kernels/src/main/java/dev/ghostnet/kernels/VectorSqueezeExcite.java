package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Squeeze-excite in place, vectorised across channels: average pool, FC C -> R + ReLU, FC R -> C,
 * hard-sigmoid, per-channel scale. A template specialised per vector width by {@link VectorSpecialization}.
 *
 * <p>Scratch (the caller's float[], {@link #scratchFloats()} long): {@code [pooled C][hidden R][gate C]}; when
 * {@link #squeeze} and {@link #excite} split an image over threads, hidden is the pieces' shared array instead.
 * Packed weights (off-heap, 64-byte aligned), for each FC one block per vector of outputs,
 * {@code [bias o0..o0+lanes) [w(in=0) o0..o0+lanes) ... [w(in=last) ...]}, outputs past the last zero,
 * i.e. the FC is a 1-pixel GEMM streaming weights in order while broadcasting its input.
 */
final class VectorSqueezeExcite implements SqueezeExcite {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final int channels;
    private final int reduced;
    private final MemorySegment reduce;
    private final MemorySegment expand;
    private final VectorMask<Float> channelTail;
    private final VectorMask<Float> reducedTail;
    private final VectorMask<Float> allLanes;
    /** Whether the last vector of channels is partial ({@link #channelTail} not all lanes). */
    private final boolean partialTail;

    /** The type of {@link #create}, implemented per width by {@link VectorSpecialization#factory}. */
    interface Factory {
        SqueezeExcite create(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                             float[] expandBias, int channels, int reducedChannels);
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static SqueezeExcite create(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                float[] expandBias, int channels, int reducedChannels) {
        return new VectorSqueezeExcite(arena, reduceWeights, reduceBias, expandWeights, expandBias, channels,
                reducedChannels);
    }

    private VectorSqueezeExcite(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                float[] expandBias, int channels, int reducedChannels) {
        this.channels = channels;
        this.reduced = reducedChannels;
        this.reduce = Packing.blocks(arena, reduceWeights, reduceBias, reducedChannels, channels, LANES);
        this.expand = Packing.blocks(arena, expandWeights, expandBias, channels, reducedChannels, LANES);
        this.channelTail = SPECIES.indexInRange(0, Packing.lastBlockOutputs(channels, LANES));
        this.reducedTail = SPECIES.indexInRange(0, Packing.lastBlockOutputs(reducedChannels, LANES));
        this.allLanes = SPECIES.maskAll(true);
        this.partialTail = channelTail.trueCount() < LANES;
    }

    private static int blocks(int n) {
        return (n + LANES - 1) / LANES;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int reducedChannels() {
        return reduced;
    }

    @Override
    public int splitAlignment() {
        return LANES;
    }

    @Override
    public void run(Tensor x, int imageFrom, int imageTo, float[] scratch) {
        assert x.channels() == channels && scratch.length >= scratchFloats() : x + ", scratch " + scratch.length;
        assert 0 <= imageFrom && imageFrom <= imageTo && imageTo <= x.batch() : imageFrom + ".." + imageTo;
        int hidden = channels;
        int gate = channels + reduced;
        for (int n = imageFrom; n < imageTo; n++) {
            pool(x, n, scratch);
            fullyConnected(reduce, scratch, 0, channels, scratch, hidden, reduced, 0, reduced, reducedTail, true);
            fullyConnected(expand, scratch, hidden, reduced, scratch, gate, channels, 0, channels, channelTail, false);
            scale(x, n, scratch, gate, 0, channels);
        }
    }

    @Override
    public void squeeze(Tensor x, int image, float[] scratch, float[] hidden, int hiddenFrom, int hiddenTo) {
        assert x.channels() == channels && scratch.length >= scratchFloats() && hidden.length >= reduced;
        assert hiddenFrom % LANES == 0 && hiddenFrom <= hiddenTo && hiddenTo <= reduced : hiddenFrom + ".." + hiddenTo;
        pool(x, image, scratch);
        fullyConnected(reduce, scratch, 0, channels, hidden, 0, reduced, hiddenFrom, hiddenTo, reducedTail, true);
    }

    @Override
    public void excite(Tensor x, int image, float[] hidden, float[] scratch, int channelFrom, int channelTo) {
        assert x.channels() == channels && scratch.length >= scratchFloats() && hidden.length >= reduced;
        assert channelFrom % LANES == 0 && channelFrom <= channelTo && channelTo <= channels
                : channelFrom + ".." + channelTo;
        int gate = channels + reduced;
        fullyConnected(expand, hidden, 0, reduced, scratch, gate, channels, channelFrom, channelTo, channelTail, false);
        scale(x, image, scratch, gate, channelFrom, channelTo);
    }

    /**
     * {@code scratch[c] = mean over the pixels of x[n, :, :, c]} for every channel; unmasked loads but in a
     * partial last vector of channels, as in {@link #scale}.
     */
    private void pool(Tensor x, int n, float[] scratch) {
        MemorySegment seg = x.segment();
        long pixel = (long) x.channelStride() * Float.BYTES;
        int pixels = x.height() * x.width();
        int blocks = blocks(channels);
        long image = (long) n * pixels * pixel;
        FloatVector scale = FloatVector.broadcast(SPECIES, 1f / pixels);
        for (int b = 0; b < blocks; b++) {
            long c = image + b * VECTOR_BYTES;
            // Two accumulators over alternate pixels halve the dependent add chain.
            FloatVector even = FloatVector.zero(SPECIES);
            FloatVector odd = FloatVector.zero(SPECIES);
            int p = 0;
            if (b < blocks - 1 || !partialTail) {
                for (; p + 1 < pixels; p += 2) {
                    even = even.add(FloatVector.fromMemorySegment(SPECIES, seg, c + p * pixel, ORDER));
                    odd = odd.add(FloatVector.fromMemorySegment(SPECIES, seg, c + (p + 1) * pixel, ORDER));
                }
                if (p < pixels) {
                    even = even.add(FloatVector.fromMemorySegment(SPECIES, seg, c + p * pixel, ORDER));
                }
                even.add(odd).mul(scale).intoArray(scratch, b * LANES);
            } else {
                for (; p + 1 < pixels; p += 2) {
                    even = even.add(FloatVector.fromMemorySegment(SPECIES, seg, c + p * pixel, ORDER, channelTail));
                    odd = odd.add(FloatVector.fromMemorySegment(SPECIES, seg, c + (p + 1) * pixel, ORDER,
                            channelTail));
                }
                if (p < pixels) {
                    even = even.add(FloatVector.fromMemorySegment(SPECIES, seg, c + p * pixel, ORDER, channelTail));
                }
                even.add(odd).mul(scale).intoArray(scratch, b * LANES, channelTail);
            }
        }
    }

    /**
     * {@code x[n, :, :, c] *= scratch[gate + c]} for channels {@code [from, to)}, from a multiple of the lanes.
     * Full vectors of channels use unmasked loads and stores and only a partial last vector the masked ones:
     * with a mask on every access (all lanes set but for the last vector) the pass took 2-3x as long.
     */
    private void scale(Tensor x, int n, float[] scratch, int gate, int from, int to) {
        MemorySegment seg = x.segment();
        long pixel = (long) x.channelStride() * Float.BYTES;
        int pixels = x.height() * x.width();
        int blockFrom = from / LANES;
        int blockTo = blocks(to);
        boolean partial = blockTo == blocks(channels) && partialTail;
        int fullTo = partial ? blockTo - 1 : blockTo;
        long image = (long) n * pixels * pixel;
        for (int p = 0; p < pixels; p++) {
            long at = image + p * pixel;
            for (int b = blockFrom; b < fullTo; b++) {
                FloatVector g = FloatVector.fromArray(SPECIES, scratch, gate + b * LANES);
                FloatVector.fromMemorySegment(SPECIES, seg, at + b * VECTOR_BYTES, ORDER).mul(g)
                        .intoMemorySegment(seg, at + b * VECTOR_BYTES, ORDER);
            }
            if (partial) {
                long c = at + fullTo * VECTOR_BYTES;
                FloatVector g = FloatVector.fromArray(SPECIES, scratch, gate + fullTo * LANES, channelTail);
                FloatVector.fromMemorySegment(SPECIES, seg, c, ORDER, channelTail).mul(g)
                        .intoMemorySegment(seg, c, ORDER, channelTail);
            }
        }
    }

    /**
     * {@code dst[to + o] = f(bias[o] + sum_i w[o][i] * src[from + i])} for outputs {@code o} in
     * {@code [outFrom, outTo)} of {@code out}, outFrom a multiple of the lanes; f = ReLU for the reduce FC and
     * hard-sigmoid (relu6(x + 3) / 6) for the expand FC.
     */
    private void fullyConnected(MemorySegment packed, float[] src, int from, int in, float[] dst, int to, int out,
                                int outFrom, int outTo, VectorMask<Float> tail, boolean reluNotGate) {
        int blocks = blocks(out);
        long blockBytes = (1 + (long) in) * VECTOR_BYTES;
        // Vector operands, not scalars: the scalar overloads broadcast through a call C2 does not always inline.
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector three = FloatVector.broadcast(SPECIES, 3f);
        FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        for (int b = outFrom / LANES; b < blocks(outTo); b++) {
            long w = b * blockBytes;
            // Four partial sums over alternate inputs: four independent FMA chains and weight loads in flight,
            // as in the pointwise GEMV (the weights stream from L3 or memory; two chains left it latency-bound).
            FloatVector c0 = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER);
            FloatVector c1 = zero, c2 = zero, c3 = zero;
            w += VECTOR_BYTES;
            int i = 0;
            for (; i + 3 < in; i += 4, w += 4 * VECTOR_BYTES) {
                c0 = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, src[from + i]), c0);
                c1 = FloatVector.fromMemorySegment(SPECIES, packed, w + VECTOR_BYTES, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, src[from + i + 1]), c1);
                c2 = FloatVector.fromMemorySegment(SPECIES, packed, w + 2 * VECTOR_BYTES, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, src[from + i + 2]), c2);
                c3 = FloatVector.fromMemorySegment(SPECIES, packed, w + 3 * VECTOR_BYTES, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, src[from + i + 3]), c3);
            }
            for (; i < in; i++, w += VECTOR_BYTES) {
                c0 = FloatVector.fromMemorySegment(SPECIES, packed, w, ORDER)
                        .fma(FloatVector.broadcast(SPECIES, src[from + i]), c0);
            }
            FloatVector y = c0.add(c1).add(c2.add(c3));
            y = reluNotGate ? y.max(zero) : y.add(three).max(zero).min(six).div(six);
            y.intoArray(dst, to + b * LANES, b == blocks - 1 ? tail : allLanes);
        }
    }
}

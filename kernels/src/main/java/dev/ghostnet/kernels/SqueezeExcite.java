package dev.ghostnet.kernels;

/**
 * Squeeze-and-excite applied in place: per image, pooled = mean over H, W; hidden = relu(Wr pooled + br);
 * gate = hardSigmoid(We hidden + be); x[n, h, w, c] *= gate[c].
 *
 * <p>Weights: reduce {@code [reduced][channels]}, expand {@code [channels][reduced]}. The caller owns the
 * scratch array ({@link #scratchFloats()} floats), so the op stays immutable and shareable across threads.
 *
 * <p>{@link #run} is {@link #squeeze} over all hidden units, then {@link #excite} over all channels. Called
 * separately, the halves split one image over threads: every piece squeezes its range of hidden units into a
 * shared {@code hidden} array, and once all have, every piece excites its range of channels. Ranges start at
 * multiples of {@link #splitAlignment()} (and end there, or at the count), so pieces never write the same
 * vector of outputs.
 */
public interface SqueezeExcite {
    int channels();

    int reducedChannels();

    default int scratchFloats() {
        return 2 * channels() + reducedChannels();
    }

    /** Split ranges of hidden units and channels start at multiples of this. */
    int splitAlignment();

    void run(Tensor x, int imageFrom, int imageTo, float[] scratch);

    /**
     * {@code hidden[o] = relu(Wr mean_hw(x[image]) + br)[o]} for {@code o} in {@code [hiddenFrom, hiddenTo)};
     * {@code scratch} is this caller's own ({@link #scratchFloats()} floats), {@code hidden} is
     * {@link #reducedChannels()} long and may be shared with pieces writing other ranges.
     */
    void squeeze(Tensor x, int image, float[] scratch, float[] hidden, int hiddenFrom, int hiddenTo);

    /**
     * {@code x[image, h, w, c] *= hardSigmoid(We hidden + be)[c]} for {@code c} in {@code [channelFrom,
     * channelTo)}, reading all of {@code hidden}; {@code scratch} is this caller's own.
     */
    void excite(Tensor x, int image, float[] hidden, float[] scratch, int channelFrom, int channelTo);
}

package dev.ghostnet.kernels;

/**
 * Squeeze-and-excite applied in place: per image, pooled = mean over H, W; hidden = relu(Wr pooled + br);
 * gate = hardSigmoid(We hidden + be); x[n, h, w, c] *= gate[c].
 *
 * <p>Weights: reduce {@code [reduced][channels]}, expand {@code [channels][reduced]}. The caller owns the
 * scratch array ({@link #scratchFloats()} floats), so the op stays immutable and shareable across threads.
 */
public interface SqueezeExcite {
    int channels();

    int reducedChannels();

    default int scratchFloats() {
        return 2 * channels() + reducedChannels();
    }

    void run(Tensor x, int imageFrom, int imageTo, float[] scratch);
}

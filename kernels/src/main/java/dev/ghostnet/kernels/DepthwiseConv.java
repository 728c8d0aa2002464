package dev.ghostnet.kernels;

/**
 * A depthwise k x k convolution (one filter per channel) with "same" padding k/2, stride 1 or 2, and folded bias.
 *
 * <p>{@code out[n, oh, ow, c] = act(bias[c] + sum_{kh,kw} in[n, oh*s + kh - k/2, ow*s + kw - k/2, c] * w[c, kh, kw])
 * + residual[n, oh, ow, c]}, out-of-image taps reading zero. Runs output rows {@code [rowFrom, rowTo)} of the
 * flattened N*Hout rows. {@code residual} may be null. Immutable and thread-safe.
 */
public interface DepthwiseConv {
    int channels();

    int kernelSize();

    int stride();

    default int outputSize(int inputSize) {
        return ConvGeometry.outputSize(inputSize, kernelSize(), stride(), kernelSize() / 2);
    }

    void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo);

    /**
     * {@link #run}, and also {@code shortcutOut = in + shortcutResidual} over rows {@code [rowFrom, rowTo)} (stride 1,
     * where input and output rows coincide): a ghost module's identity shortcut over the primary half, which the
     * cheap conv reads, added as the conv reads it instead of in a pass of its own. Each call writes only its own
     * rows, so calls over different rows may run at once. {@code shortcutOut} must not alias {@code in}.
     * {@code shortcutResidual} may be null: then {@code shortcutOut = in}, a copy.
     */
    void runWithShortcut(Tensor in, Tensor out, Tensor residual, Tensor shortcutOut, Tensor shortcutResidual,
                         int rowFrom, int rowTo);

    /**
     * Whether {@link #runWithShortcut} has a path faster than {@link #run}'s: the channels are half a vector, and
     * with a contiguous {@code in} ({@code channelStride == channels}), {@code shortcutOut} and {@code out} the low
     * and high halves of whole pixels, and the residuals likewise (or both null), it computes two pixels per vector
     * and stores whole pixels. A planner can then have {@code in} written to a scratch tensor and copied by the
     * shortcut, rather than read in place.
     */
    default boolean pairsHalfVectors() {
        return false;
    }
}

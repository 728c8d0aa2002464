package dev.ghostnet.kernels;

/**
 * A fully connected layer on (N, 1, 1, in) tensors: {@code out[n, o] = act(bias[o] + sum_i in[n, i] * w[o, i])}.
 * Weights {@code [out][in]} as PyTorch stores them. Runs images {@code [imageFrom, imageTo)}, all output features or a
 * range of them. Immutable and thread-safe.
 */
public interface Linear {
    int inFeatures();

    int outFeatures();

    default void run(Tensor in, Tensor out, int imageFrom, int imageTo) {
        run(in, out, imageFrom, imageTo, 0, outFeatures());
    }

    /**
     * Output features {@code [featureFrom, featureTo)} only, of images {@code [imageFrom, imageTo)}: how one image
     * is split over threads. {@code featureFrom} must be a multiple of {@link #featureAlignment()}, and so must
     * {@code featureTo} unless it is {@link #outFeatures()}.
     */
    void run(Tensor in, Tensor out, int imageFrom, int imageTo, int featureFrom, int featureTo);

    /** What feature ranges must be multiples of: the vector kernels compute whole blocks of output features. */
    default int featureAlignment() {
        return 1;
    }
}

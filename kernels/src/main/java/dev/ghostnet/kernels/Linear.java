package dev.ghostnet.kernels;

/**
 * A fully connected layer on (N, 1, 1, in) tensors: {@code out[n, o] = act(bias[o] + sum_i in[n, i] * w[o, i])}.
 * Weights {@code [out][in]} as PyTorch stores them. Runs images {@code [imageFrom, imageTo)}. Immutable and thread-safe.
 */
public interface Linear {
    int inFeatures();

    int outFeatures();

    void run(Tensor in, Tensor out, int imageFrom, int imageTo);

    /** Disjoint ranges of output features that {@link #runPiece} computes one at a time: 1 unless split. */
    default int pieces() {
        return 1;
    }

    /**
     * Only piece {@code piece} of {@link #pieces()} of the output features, for images {@code [imageFrom,
     * imageTo)}: the pieces together do what {@link #run} does, so they can run on different threads.
     */
    default void runPiece(Tensor in, Tensor out, int imageFrom, int imageTo, int piece) {
        if (piece != 0 || pieces() != 1) {
            throw new IllegalStateException("runPiece must be implemented by a linear op with several pieces");
        }
        run(in, out, imageFrom, imageTo);
    }
}

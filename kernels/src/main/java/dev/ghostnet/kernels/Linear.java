package dev.ghostnet.kernels;

/**
 * A fully connected layer on (N, 1, 1, in) tensors: {@code out[n, o] = act(bias[o] + sum_i in[n, i] * w[o, i])}.
 * Weights {@code [out][in]} as PyTorch stores them. Runs images {@code [imageFrom, imageTo)}. Immutable and thread-safe.
 */
public interface Linear {
    int inFeatures();

    int outFeatures();

    void run(Tensor in, Tensor out, int imageFrom, int imageTo);
}

package dev.ghostnet.kernels;

/**
 * A dense (groups = 1) k x k convolution with "same" padding k/2 and folded bias: the network's stem.
 *
 * <p>{@code out[n, oh, ow, o] = act(bias[o] + sum_{kh,kw,i} in[n, oh*s + kh - k/2, ow*s + kw - k/2, i] * w[o, i, kh, kw])}.
 * Runs output rows {@code [rowFrom, rowTo)} of the flattened N*Hout rows. Immutable and thread-safe.
 */
public interface DenseConv {
    int inChannels();

    int outChannels();

    int kernelSize();

    int stride();

    default int outputSize(int inputSize) {
        return ConvGeometry.outputSize(inputSize, kernelSize(), stride(), kernelSize() / 2);
    }

    void run(Tensor in, Tensor out, int rowFrom, int rowTo);
}

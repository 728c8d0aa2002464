package dev.ghostnet.kernels;

/**
 * A 1x1 convolution with folded bias, prepared once (weights packed) and run many times.
 *
 * <p>{@code out[p, o] = act(bias[o] + sum_i in[p, i] * w[o, i]) + residual[p, o]} for every pixel p of the
 * flattened N*H*W pixels in {@code [pixelFrom, pixelTo)}. {@code residual} may be null, and may be the
 * {@code out} tensor itself (accumulate in place). Implementations are immutable and thread-safe;
 * callers split the pixel range between threads.
 */
public interface PointwiseConv {
    int inChannels();

    int outChannels();

    void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo);
}

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

    /**
     * What {@code out} may be widened to when nothing reads the channels after the layer's before they are written
     * again (a ghost module's cheap half, say): {@link #run} may then also write {@code out}'s channels past
     * {@link #outChannels()}, with {@code act(0)} (the zero weights the kernel pads its last vector with), in whole
     * vectors instead of masked stores. Only without a residual. Equal to {@link #outChannels()} when a kernel
     * gains nothing from it.
     */
    default int paddedOutChannels() {
        return outChannels();
    }

    /** {@code out} has {@link #outChannels()} channels, or {@link #paddedOutChannels()} without a residual. */
    void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo);
}

package dev.ghostnet.kernels;

/**
 * A depthwise convolution with any kernel height and width, one stride for both axes and zero padding per axis
 * (the same on both sides of an axis, PyTorch's {@code padding=(padH, padW)}), with folded bias: GhostNet v2's
 * 1x5 and 5x1 DFC convs. {@link WindowReference#depthwise} is its specification: out-of-image taps read zero,
 * {@code residual} (may be null) is added after the activation. Runs output rows {@code [rowFrom, rowTo)} of the
 * flattened N*Hout rows. Immutable and thread-safe.
 */
public interface WindowDepthwiseConv {
    int channels();

    int kernelHeight();

    int kernelWidth();

    int stride();

    int padHeight();

    int padWidth();

    default int outputHeight(int inputHeight) {
        return (inputHeight + 2 * padHeight() - kernelHeight()) / stride() + 1;
    }

    default int outputWidth(int inputWidth) {
        return (inputWidth + 2 * padWidth() - kernelWidth()) / stride() + 1;
    }

    void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo);

    /** Checks the factory arguments of every family: messages name the bad argument. */
    static void check(float[] weights, float[] bias, int channels, int kernelHeight, int kernelWidth, int stride,
                      int padHeight, int padWidth) {
        KernelArguments.positive("channels", channels);
        KernelArguments.positive("kernel height", kernelHeight);
        KernelArguments.positive("kernel width", kernelWidth);
        KernelArguments.positive("stride", stride);
        if (padHeight < 0 || padWidth < 0 || padHeight >= kernelHeight || padWidth >= kernelWidth) {
            throw new IllegalArgumentException("padding (" + padHeight + ", " + padWidth + ") must be at least 0 and "
                    + "smaller than the kernel " + kernelHeight + "x" + kernelWidth);
        }
        KernelArguments.length("depthwise weights [channels][kh][kw]", weights,
                (long) channels * kernelHeight * kernelWidth);
        KernelArguments.length("depthwise bias", bias, channels);
    }
}

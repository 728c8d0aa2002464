package dev.ghostnet.kernels;

import java.lang.foreign.Arena;

/**
 * One family of kernels (the scalar reference or the Vector API one). Factory methods validate their
 * arguments and prepare an immutable op, packing weights into {@code arena} when the family has a
 * packed layout; the ops then trust their inputs apart from cheap shape asserts.
 *
 * <p>Weight arrays arrive in PyTorch's layouts with BatchNorm already folded (see {@link BatchNorm}).
 */
public interface Kernels {
    /** A short name for logs and reports, e.g. {@code scalar} or {@code vector-512}. */
    String name();

    /** weights {@code [out][in]}, bias {@code [out]}. */
    PointwiseConv pointwise(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                            Activation activation);

    /** weights {@code [channels][k][k]}, bias {@code [channels]}. */
    DepthwiseConv depthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelSize, int stride,
                            Activation activation);

    /** weights {@code [out][in][k][k]}, bias {@code [out]}. */
    DenseConv dense(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels, int kernelSize,
                    int stride, Activation activation);

    /** reduce weights {@code [reduced][channels]}, expand weights {@code [channels][reduced]}. */
    SqueezeExcite squeezeExcite(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                float[] expandBias, int channels, int reducedChannels);

    /** weights {@code [out][in]}, bias {@code [out]}. */
    Linear linear(Arena arena, float[] weights, float[] bias, int inFeatures, int outFeatures, Activation activation);

    /** {@code out[n, 0, 0, c] = mean over h, w of in[n, h, w, c]} for images {@code [imageFrom, imageTo)}. */
    void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo);

    /** {@code out = a + b} element-wise over flattened pixels {@code [pixelFrom, pixelTo)}; out may alias a or b. */
    void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo);

    /** In place: {@code x = relu6(x + 3) / 6} over flattened pixels {@code [pixelFrom, pixelTo)}. */
    void hardSigmoid(Tensor x, long pixelFrom, long pixelTo);

    /**
     * weights {@code [channels][kernelHeight][kernelWidth]}, bias {@code [channels]}: a depthwise conv with any
     * rectangular window and zero padding per axis (see {@link WindowDepthwiseConv}).
     */
    WindowDepthwiseConv windowDepthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelHeight,
                                        int kernelWidth, int stride, int padHeight, int padWidth,
                                        Activation activation);

    /**
     * The mean of each {@code kernel x kernel} window, without padding (trailing rows and columns that fill no window
     * are dropped, see {@link WindowReference#averagePool}), for output rows {@code [rowFrom, rowTo)} of N*Hout.
     */
    void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo);

    /**
     * In place {@code x *= sigmoid(gate)} with the gate upsampled nearest to {@code x}'s size as PyTorch picks the
     * source pixel (see {@link WindowReference#sigmoidGateNearest}), for rows {@code [rowFrom, rowTo)} of N*H of x.
     */
    void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo);
}

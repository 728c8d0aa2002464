package dev.ghostnet.kernels;

import java.lang.foreign.Arena;

/**
 * The {@link Kernels} family backed by {@link ScalarReference}: slow, obviously correct, and the fallback
 * when the Vector API is not available. Weights stay in heap arrays (the reference reads them directly).
 */
public final class ScalarKernels implements Kernels {
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PointwiseConv pointwise(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                   Activation activation) {
        KernelArguments.pointwise(weights, bias, inChannels, outChannels);
        ConvGeometry g = ConvGeometry.same(inChannels, outChannels, 1, 1, 1);
        float[] w = weights.clone();
        float[] b = bias.clone();
        return new PointwiseConv() {
            public int inChannels() { return inChannels; }
            public int outChannels() { return outChannels; }
            public void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo) {
                // A 1x1 conv treats pixels independently: view the pixel range as rows of a 1-pixel-wide image.
                Tensor inPixels = in.reshape(1, (int) in.pixels(), 1);
                Tensor outPixels = out.reshape(1, (int) out.pixels(), 1);
                Tensor residualPixels = residual == null ? null : residual.reshape(1, (int) residual.pixels(), 1);
                ScalarReference.conv2d(inPixels, outPixels, w, b, g, activation, residualPixels,
                        (int) pixelFrom, (int) pixelTo);
            }
        };
    }

    @Override
    public DepthwiseConv depthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelSize,
                                   int stride, Activation activation) {
        KernelArguments.depthwise(weights, bias, channels, kernelSize, stride);
        ConvGeometry g = ConvGeometry.same(channels, channels, kernelSize, stride, channels);
        float[] w = weights.clone();
        float[] b = bias.clone();
        return new DepthwiseConv() {
            public int channels() { return channels; }
            public int kernelSize() { return kernelSize; }
            public int stride() { return stride; }
            public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
                ScalarReference.conv2d(in, out, w, b, g, activation, residual, rowFrom, rowTo);
            }
            public void runWithShortcut(Tensor in, Tensor out, Tensor residual, Tensor shortcutOut,
                                        Tensor shortcutResidual, int rowFrom, int rowTo) {
                assert stride == 1 && shortcutOut.sameShape(in)
                        && (shortcutResidual == null || shortcutResidual.sameShape(in))
                        : in + ", " + shortcutOut + ", " + shortcutResidual;
                run(in, out, residual, rowFrom, rowTo);
                if (shortcutResidual == null) {
                    ScalarReference.copy(in, shortcutOut, (long) rowFrom * in.width(), (long) rowTo * in.width());
                } else {
                    ScalarReference.add(in, shortcutResidual, shortcutOut, (long) rowFrom * in.width(),
                            (long) rowTo * in.width());
                }
            }
        };
    }

    @Override
    public DenseConv dense(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                           int kernelSize, int stride, Activation activation) {
        KernelArguments.dense(weights, bias, inChannels, outChannels, kernelSize, stride);
        ConvGeometry g = ConvGeometry.same(inChannels, outChannels, kernelSize, stride, 1);
        float[] w = weights.clone();
        float[] b = bias.clone();
        return new DenseConv() {
            public int inChannels() { return inChannels; }
            public int outChannels() { return outChannels; }
            public int kernelSize() { return kernelSize; }
            public int stride() { return stride; }
            public void run(Tensor in, Tensor out, int rowFrom, int rowTo) {
                ScalarReference.conv2d(in, out, w, b, g, activation, null, rowFrom, rowTo);
            }
        };
    }

    @Override
    public SqueezeExcite squeezeExcite(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                       float[] expandBias, int channels, int reducedChannels) {
        KernelArguments.squeezeExcite(reduceWeights, reduceBias, expandWeights, expandBias, channels, reducedChannels);
        float[] rw = reduceWeights.clone();
        float[] rb = reduceBias.clone();
        float[] ew = expandWeights.clone();
        float[] eb = expandBias.clone();
        return new SqueezeExcite() {
            public int channels() { return channels; }
            public int reducedChannels() { return reducedChannels; }
            public int splitAlignment() { return 1; }
            public void run(Tensor x, int imageFrom, int imageTo, float[] scratch) {
                ScalarReference.squeezeExcite(x, rw, rb, ew, eb, reducedChannels, imageFrom, imageTo);
            }
            public void squeeze(Tensor x, int image, float[] scratch, float[] hidden, int hiddenFrom, int hiddenTo) {
                ScalarReference.squeeze(x, image, rw, rb, reducedChannels, hidden, hiddenFrom, hiddenTo);
            }
            public void excite(Tensor x, int image, float[] hidden, float[] scratch, int channelFrom, int channelTo) {
                ScalarReference.excite(x, image, ew, eb, reducedChannels, hidden, channelFrom, channelTo);
            }
        };
    }

    @Override
    public Linear linear(Arena arena, float[] weights, float[] bias, int inFeatures, int outFeatures,
                         Activation activation) {
        KernelArguments.linear(weights, bias, inFeatures, outFeatures);
        float[] w = weights.clone();
        float[] b = bias.clone();
        return new Linear() {
            public int inFeatures() { return inFeatures; }
            public int outFeatures() { return outFeatures; }
            public void run(Tensor in, Tensor out, int imageFrom, int imageTo, int featureFrom, int featureTo) {
                float[] x = new float[inFeatures];
                float[] y = new float[outFeatures];
                for (int n = imageFrom; n < imageTo; n++) {
                    for (int i = 0; i < inFeatures; i++) x[i] = in.get(n, 0, 0, i);
                    ScalarReference.linear(x, w, b, activation, y, inFeatures, outFeatures);
                    for (int o = featureFrom; o < featureTo; o++) out.set(n, 0, 0, o, y[o]);
                }
            }
        };
    }

    @Override
    public void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo) {
        ScalarReference.globalAveragePool(in, out, imageFrom, imageTo);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo) {
        ScalarReference.add(a, b, out, pixelFrom, pixelTo);
    }

    @Override
    public void hardSigmoid(Tensor x, long pixelFrom, long pixelTo) {
        ScalarReference.hardSigmoid(x, pixelFrom, pixelTo);
    }

    @Override
    public WindowDepthwiseConv windowDepthwise(Arena arena, float[] weights, float[] bias, int channels,
                                               int kernelHeight, int kernelWidth, int stride, int padHeight,
                                               int padWidth, Activation activation) {
        WindowDepthwiseConv.check(weights, bias, channels, kernelHeight, kernelWidth, stride, padHeight, padWidth);
        float[] w = weights.clone();
        float[] b = bias.clone();
        return new WindowDepthwiseConv() {
            public int channels() { return channels; }
            public int kernelHeight() { return kernelHeight; }
            public int kernelWidth() { return kernelWidth; }
            public int stride() { return stride; }
            public int padHeight() { return padHeight; }
            public int padWidth() { return padWidth; }
            public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
                WindowReference.depthwise(in, out, w, b, kernelHeight, kernelWidth, stride, padHeight, padWidth,
                        activation, residual, rowFrom, rowTo);
            }
        };
    }

    @Override
    public void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo) {
        WindowReference.averagePool(in, out, kernel, stride, rowFrom, rowTo);
    }

    @Override
    public void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo) {
        WindowReference.sigmoidGateNearest(gate, x, rowFrom, rowTo);
    }
}

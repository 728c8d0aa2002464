package dev.ghostnet.verify;

import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Linear;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.SqueezeExcite;
import dev.ghostnet.kernels.Tensor;
import dev.ghostnet.kernels.WindowDepthwiseConv;

import java.lang.foreign.Arena;
import java.util.function.UnaryOperator;

/**
 * A real kernel family with one deliberately wrong depthwise kernel, the way kernel bugs look: right in the
 * interior, wrong at a border or off by a pixel. Test-only: it shows the parity check catches such a bug
 * and names the stage where it starts.
 */
final class PerturbedKernels implements Kernels {
    private final Kernels base;
    private final String bug;
    private final UnaryOperator<DepthwiseConv> wrong;

    private PerturbedKernels(Kernels base, String bug, UnaryOperator<DepthwiseConv> wrong) {
        this.base = base;
        this.bug = bug;
        this.wrong = wrong;
    }

    /** Stride-1 depthwise convs (the ghost modules' cheap ops) off by a relative 1e-4 in output column 0. */
    static Kernels borderColumnOff(Kernels base) {
        return new PerturbedKernels(base, "column0-off", op -> op.stride() != 1 ? op : new Wrong(op) {
            @Override
            void corrupt(Tensor out, int n, int oh) {
                for (int c = 0; c < out.channels(); c++) out.set(n, oh, 0, c, out.get(n, oh, 0, c) * (1 + 1e-4f));
            }
        });
    }

    /** Stride-2 depthwise convs whose output is shifted right by one pixel (column 0 repeated). */
    static Kernels strideTwoShifted(Kernels base) {
        return new PerturbedKernels(base, "stride2-shifted", op -> op.stride() != 2 ? op : new Wrong(op) {
            @Override
            void corrupt(Tensor out, int n, int oh) {
                for (int ow = out.width() - 1; ow > 0; ow--) {
                    for (int c = 0; c < out.channels(); c++) out.set(n, oh, ow, c, out.get(n, oh, ow - 1, c));
                }
            }
        });
    }

    /** Runs the real op, then corrupts each output row it produced. */
    private abstract static class Wrong implements DepthwiseConv {
        private final DepthwiseConv real;

        Wrong(DepthwiseConv real) {
            this.real = real;
        }

        abstract void corrupt(Tensor out, int n, int oh);

        @Override public int channels() { return real.channels(); }
        @Override public int kernelSize() { return real.kernelSize(); }
        @Override public int stride() { return real.stride(); }

        @Override
        public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
            real.run(in, out, residual, rowFrom, rowTo);
            for (int row = rowFrom; row < rowTo; row++) corrupt(out, row / out.height(), row % out.height());
        }

        @Override
        public void runWithShortcut(Tensor in, Tensor out, Tensor residual, Tensor shortcutOut,
                                    Tensor shortcutResidual, int rowFrom, int rowTo) {
            real.runWithShortcut(in, out, residual, shortcutOut, shortcutResidual, rowFrom, rowTo);
            for (int row = rowFrom; row < rowTo; row++) corrupt(out, row / out.height(), row % out.height());
        }
    }

    @Override
    public String name() {
        return base.name() + "+" + bug;
    }

    @Override
    public DepthwiseConv depthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelSize, int stride,
                                   Activation activation) {
        return wrong.apply(base.depthwise(arena, weights, bias, channels, kernelSize, stride, activation));
    }

    @Override
    public PointwiseConv pointwise(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                   Activation activation) {
        return base.pointwise(arena, weights, bias, inChannels, outChannels, activation);
    }

    @Override
    public DenseConv dense(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels, int kernelSize,
                           int stride, Activation activation) {
        return base.dense(arena, weights, bias, inChannels, outChannels, kernelSize, stride, activation);
    }

    @Override
    public SqueezeExcite squeezeExcite(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                       float[] expandBias, int channels, int reducedChannels) {
        return base.squeezeExcite(arena, reduceWeights, reduceBias, expandWeights, expandBias, channels, reducedChannels);
    }

    @Override
    public Linear linear(Arena arena, float[] weights, float[] bias, int inFeatures, int outFeatures, Activation activation) {
        return base.linear(arena, weights, bias, inFeatures, outFeatures, activation);
    }

    @Override
    public void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo) {
        base.globalAveragePool(in, out, imageFrom, imageTo);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo) {
        base.add(a, b, out, pixelFrom, pixelTo);
    }

    @Override
    public void hardSigmoid(Tensor x, long pixelFrom, long pixelTo) {
        base.hardSigmoid(x, pixelFrom, pixelTo);
    }

    @Override
    public WindowDepthwiseConv windowDepthwise(Arena arena, float[] weights, float[] bias, int channels,
                                               int kernelHeight, int kernelWidth, int stride, int padHeight,
                                               int padWidth, Activation activation) {
        return base.windowDepthwise(arena, weights, bias, channels, kernelHeight, kernelWidth, stride, padHeight,
                padWidth, activation);
    }

    @Override
    public void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo) {
        base.averagePool(in, out, kernel, stride, rowFrom, rowTo);
    }

    @Override
    public void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo) {
        base.sigmoidGateNearest(gate, x, rowFrom, rowTo);
    }
}

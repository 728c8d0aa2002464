package dev.ghostnet.engine.model;

import dev.ghostnet.kernels.Activation;

/**
 * What a layer computes, with the shapes that define it; the tensors it reads and writes are the layer's
 * ({@link LayerSpec}). Spatial sizes are not part of an op: a description holds for any input size, and
 * {@link #outputHeight}/{@link #outputWidth} give a layer's output size from its input's.
 */
public sealed interface Op {
    int inChannels();

    int outChannels();

    /** Whether the layer adds a residual tensor after its activation ({@code out = act(op(in)) + residual}). */
    default boolean takesResidual() {
        return false;
    }

    /**
     * Whether the layer scales an output that earlier layers wrote, at that output's size, rather than producing
     * it from its input's size (the gate of DFC attention, whose input is at half resolution).
     */
    default boolean updatesOutput() {
        return false;
    }

    default int outputHeight(int inputHeight) {
        return inputHeight;
    }

    default int outputWidth(int inputWidth) {
        return inputWidth;
    }

    /**
     * A convolution window: kernel height and width, stride (the same along both axes) and zero padding per
     * axis (the same on both sides of an axis, as PyTorch's {@code padding=(ph, pw)}).
     */
    record Window(int height, int width, int stride, int padHeight, int padWidth) {
        public Window {
            if (height <= 0 || width <= 0 || stride <= 0 || padHeight < 0 || padWidth < 0) {
                throw new IllegalArgumentException("invalid window: kernel " + height + "x" + width + ", stride "
                        + stride + ", padding (" + padHeight + ", " + padWidth + ")");
            }
        }

        /** A k x k window with "same" padding k/2: every conv of GhostNet v1. */
        public static Window square(int kernel, int stride) {
            return new Window(kernel, kernel, stride, kernel / 2, kernel / 2);
        }

        public boolean isSquareSame() {
            return height == width && padHeight == height / 2 && padWidth == width / 2;
        }

        public int outputHeight(int inputHeight) {
            return outputSize(inputHeight, height, padHeight);
        }

        public int outputWidth(int inputWidth) {
            return outputSize(inputWidth, width, padWidth);
        }

        private int outputSize(int input, int kernel, int padding) {
            int size = (input + 2 * padding - kernel) / stride + 1;
            if (size <= 0) {
                throw new IllegalArgumentException("input size " + input + " is too small for kernel " + kernel
                        + " with padding " + padding);
            }
            return size;
        }

        @Override
        public String toString() {
            return height + "x" + width + "/" + stride;
        }
    }

    /** A dense convolution (groups 1) with a bias: the stem. */
    record Conv(int inChannels, int outChannels, Window window, Activation activation) implements Op {
        public int outputHeight(int h) { return window.outputHeight(h); }
        public int outputWidth(int w) { return window.outputWidth(w); }
    }

    /** A 1x1 convolution with a bias. */
    record Pointwise(int inChannels, int outChannels, Activation activation) implements Op {
        public boolean takesResidual() { return true; }
    }

    /** A depthwise convolution (one filter per channel) with a bias. */
    record Depthwise(int channels, Window window, Activation activation) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
        public boolean takesResidual() { return true; }
        public int outputHeight(int h) { return window.outputHeight(h); }
        public int outputWidth(int w) { return window.outputWidth(w); }
    }

    /**
     * Squeeze-and-excite in place: global average pool, 1x1 conv to {@code reducedChannels} + bias, ReLU,
     * 1x1 conv back + bias, hard sigmoid, times the input per channel. Its input and output are one tensor.
     */
    record SqueezeExcite(int channels, int reducedChannels) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
    }

    /** The mean over height and width, to a 1x1 map. */
    record GlobalAveragePool(int channels) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
        public int outputHeight(int h) { return 1; }
        public int outputWidth(int w) { return 1; }
    }

    /** A fully connected layer with a bias on a 1x1 map (a 1x1 conv there computes the same). */
    record Linear(int inChannels, int outChannels, Activation activation) implements Op {}

    /** {@code out = in + residual}, element-wise. */
    record Add(int channels) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
        public boolean takesResidual() { return true; }
    }

    /**
     * The mean over each {@code kernel x kernel} window, without padding: a trailing row or column that fills no
     * window is dropped (GhostNet v2 pools 2x2/2).
     */
    record AveragePool(int channels, int kernel, int stride) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
        public int outputHeight(int h) { return window().outputHeight(h); }
        public int outputWidth(int w) { return window().outputWidth(w); }

        private Window window() {
            return new Window(kernel, kernel, stride, 0, 0);
        }
    }

    /**
     * DFC attention's gate, in place on the output: {@code out[n, h, w, c] *= sigmoid(in[n, h', w', c])} where
     * {@code (h', w')} is the nearest source pixel when {@code in} is resized to {@code out}'s size, as PyTorch's
     * {@code interpolate(mode='nearest')} picks it: {@code h' = floor(h * inHeight / outHeight)}.
     */
    record SigmoidGate(int channels) implements Op {
        public int inChannels() { return channels; }
        public int outChannels() { return channels; }
        public boolean updatesOutput() { return true; }
    }
}

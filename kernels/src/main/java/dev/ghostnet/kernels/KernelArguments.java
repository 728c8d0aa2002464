package dev.ghostnet.kernels;

/** Validation shared by every {@link Kernels} family's factory methods: messages name the bad argument. */
final class KernelArguments {
    private KernelArguments() {}

    static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    static void length(String what, float[] array, long expected) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is missing (expected " + expected + " floats)");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " has " + array.length + " floats, expected " + expected);
        }
    }

    static void kernel(int kernelSize, int stride) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd and positive for 'same' padding, got "
                    + kernelSize);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride must be 1 or 2, got " + stride);
        }
    }

    static void pointwise(float[] weights, float[] bias, int in, int out) {
        positive("input channels", in);
        positive("output channels", out);
        length("pointwise weights [out][in]", weights, (long) out * in);
        length("pointwise bias", bias, out);
    }

    static void depthwise(float[] weights, float[] bias, int channels, int kernelSize, int stride) {
        positive("channels", channels);
        kernel(kernelSize, stride);
        length("depthwise weights [c][k][k]", weights, (long) channels * kernelSize * kernelSize);
        length("depthwise bias", bias, channels);
    }

    static void dense(float[] weights, float[] bias, int in, int out, int kernelSize, int stride) {
        positive("input channels", in);
        positive("output channels", out);
        kernel(kernelSize, stride);
        length("conv weights [out][in][k][k]", weights, (long) out * in * kernelSize * kernelSize);
        length("conv bias", bias, out);
    }

    static void squeezeExcite(float[] reduceWeights, float[] reduceBias, float[] expandWeights, float[] expandBias,
                              int channels, int reduced) {
        positive("channels", channels);
        positive("reduced channels", reduced);
        length("squeeze-excite reduce weights [reduced][channels]", reduceWeights, (long) reduced * channels);
        length("squeeze-excite reduce bias", reduceBias, reduced);
        length("squeeze-excite expand weights [channels][reduced]", expandWeights, (long) channels * reduced);
        length("squeeze-excite expand bias", expandBias, channels);
    }

    static void linear(float[] weights, float[] bias, int in, int out) {
        positive("input features", in);
        positive("output features", out);
        length("linear weights [out][in]", weights, (long) out * in);
        length("linear bias", bias, out);
    }
}

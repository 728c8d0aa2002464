package dev.ghostnet.bench.roofline;

/**
 * One kernel call of the network: the op kind, its shape and how many steps of the plan run it. Shapes
 * are per image: {@code height x width} is the kernel's input, {@code in}/{@code out} its channels or
 * features, {@code kernel}/{@code stride} its window (1/1 for pointwise, linear and squeeze-excite).
 *
 * <p>Traffic is the compulsory one, each float read or written once: input, output, weights and bias,
 * the residual when the kernel adds one; squeeze-excite reads and rewrites its tensor in place. What the
 * kernel really moves is more (re-reads across tiles); the roofline bound from this count is the best any
 * kernel could do at that bandwidth.
 */
public record KernelCase(Kind kind, String description, int layers, int height, int width, int in, int out,
                         int kernel, int stride, boolean residual) {
    /** The kernels of {@link dev.ghostnet.kernels.Kernels} that do multiply-accumulates. */
    public enum Kind {
        POINTWISE("pointwise"), DEPTHWISE("depthwise"), CONV("conv"), LINEAR("linear"), SQUEEZE_EXCITE("squeeze-excite");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public int outHeight() {
        return (height + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    /** The same case one more step of the plan uses. */
    KernelCase plusLayer() {
        return new KernelCase(kind, description, layers + 1, height, width, in, out, kernel, stride, residual);
    }

    /** Multiply-accumulates of one call, counting every tap (as the plan and the paper count them). */
    public long macs() {
        long pixelsIn = (long) height * width;
        long pixelsOut = (long) outHeight() * outWidth();
        return switch (kind) {
            case POINTWISE -> pixelsOut * in * out;
            case DEPTHWISE -> pixelsOut * in * kernel * kernel;
            case CONV -> pixelsOut * out * in * kernel * kernel;
            case LINEAR -> (long) in * out;
            // The two 1x1 convs on the pooled vector, the pooling and the scaling (one MAC per element each).
            case SQUEEZE_EXCITE -> 2L * in * out + 2 * pixelsIn * in;
        };
    }

    /** Compulsory bytes of one call (see the class comment). */
    public long bytes() {
        long pixelsIn = (long) height * width;
        long pixelsOut = (long) outHeight() * outWidth();
        long floats = switch (kind) {
            case POINTWISE -> pixelsIn * in + pixelsOut * out + (long) in * out + out;
            case DEPTHWISE -> pixelsIn * in + pixelsOut * in + (long) in * kernel * kernel + in;
            case CONV -> pixelsIn * in + pixelsOut * out + (long) out * in * kernel * kernel + out;
            case LINEAR -> in + out + (long) in * out + out;
            case SQUEEZE_EXCITE -> 2 * pixelsIn * in + 2L * in * out + in + out;
        };
        long residualFloats = residual ? pixelsOut * (kind == Kind.DEPTHWISE ? in : out) : 0;
        return Float.BYTES * (floats + residualFloats);
    }

    /** Multiply-accumulates per compulsory byte. */
    public double intensity() {
        return (double) macs() / bytes();
    }
}

package dev.ghostnet.kernels;

/**
 * Inference BatchNorm over {@code channels}: {@code y = gamma * (x - mean) / sqrt(var + eps) + beta},
 * an affine map per channel that {@link #fold} merges into the preceding convolution.
 */
public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, float eps) {
    public static final float PYTORCH_DEFAULT_EPS = 1e-5f;

    public BatchNorm {
        int c = gamma.length;
        if (beta.length != c || mean.length != c || variance.length != c) {
            throw new IllegalArgumentException("BatchNorm arrays differ in length: gamma " + c + ", beta " + beta.length
                    + ", mean " + mean.length + ", var " + variance.length);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("BatchNorm eps must be >= 0, got " + eps);
        }
    }

    public int channels() {
        return gamma.length;
    }

    /** A convolution's weights and bias after BatchNorm has been folded into them. */
    public record Folded(float[] weights, float[] bias) {}

    /**
     * Folds this BatchNorm into a convolution whose weights are {@code [out][...]} (any per-output-channel
     * block) and whose bias may be null: {@code w' = w * s, b' = beta + (b - mean) * s}, {@code s = gamma / sqrt(var + eps)}.
     * Computed in double so folding adds no error beyond the final rounding.
     */
    public Folded fold(float[] weights, float[] bias) {
        int out = channels();
        if (weights.length % out != 0) {
            throw new IllegalArgumentException("conv weights of length " + weights.length
                    + " do not split into " + out + " output channels");
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("conv bias has " + bias.length + " entries, BatchNorm has " + out);
        }
        int perChannel = weights.length / out;
        float[] foldedWeights = new float[weights.length];
        float[] foldedBias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) variance[o] + eps);
            for (int j = 0; j < perChannel; j++) {
                foldedWeights[o * perChannel + j] = (float) (weights[o * perChannel + j] * scale);
            }
            double b = bias == null ? 0 : bias[o];
            foldedBias[o] = (float) (beta[o] + (b - mean[o]) * scale);
        }
        return new Folded(foldedWeights, foldedBias);
    }
}

package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.Tensor;

/**
 * A backbone output for detection necks: the last bottleneck output at {@code stride} (8, 16 or 32)
 * relative to the input, e.g. {@code blocks.4.0} (40 channels), {@code blocks.6.4} (112) and {@code blocks.8.3}
 * (160) at width 1.0. The tensor belongs to the session and is overwritten by its next run.
 */
public record FeatureMap(int stride, String stage, Tensor tensor) {}

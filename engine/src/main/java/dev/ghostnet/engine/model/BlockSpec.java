package dev.ghostnet.engine.model;

/**
 * One row of GhostNet's cfg table, before the width multiplier: kernel size of the stride-2 depthwise
 * conv and of the shortcut's depthwise conv, expansion (mid) channels, output channels, squeeze-excite
 * ratio (0 for none) and stride.
 */
public record BlockSpec(int kernelSize, int expansion, int out, float seRatio, int stride) {
    public boolean hasSqueezeExcite() {
        return seRatio > 0;
    }
}

package dev.ghostnet.engine.model;

/**
 * A ghost bottleneck with its channel counts after the width multiplier: the unit the engine plans.
 *
 * @param prefix    state_dict prefix, e.g. {@code blocks.6.3}
 * @param in        input channels
 * @param mid       channels of ghost1's output (the expansion)
 * @param out       output channels
 * @param kernelSize kernel of the stride-2 depthwise conv and the shortcut's depthwise conv
 * @param stride    1 or 2
 * @param seReduced squeeze-excite hidden channels, 0 when the block has no squeeze-excite
 */
public record Bottleneck(String prefix, int in, int mid, int out, int kernelSize, int stride, int seReduced) {
    public boolean hasSqueezeExcite() {
        return seReduced > 0;
    }

    /** The official implementation uses an identity shortcut exactly when shapes are preserved. */
    public boolean identityShortcut() {
        return in == out && stride == 1;
    }
}

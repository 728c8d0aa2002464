package dev.ghostnet.engine.model;

import java.util.List;

/**
 * Every layer's weights with BatchNorm folded in, in PyTorch's layouts, ready to be packed by a kernel family.
 * Produced by {@link WeightBinder}; heap arrays that live only while a model is being prepared.
 */
public record GhostNetWeights(GhostNetConfig config, Conv stem, List<Block> blocks, Conv lastConv, Conv head,
                              Conv classifier) {

    /** Conv weights {@code [out][in/groups][k][k]} (or linear {@code [out][in]}) and bias {@code [out]}. */
    public record Conv(float[] weights, float[] bias) {}

    /** A ghost module: primary 1x1 to {@code primaryChannels}, cheap depthwise 3x3 to {@code cheapChannels}. */
    public record GhostModule(Conv primary, Conv cheap, int primaryChannels, int cheapChannels) {}

    /** Squeeze-excite: reduce {@code [r][c]} + bias, expand {@code [c][r]} + bias. */
    public record SqueezeExcite(Conv reduce, Conv expand) {}

    /**
     * One bottleneck. {@code strideDepthwise} is null at stride 1, {@code se} null without squeeze-excite,
     * {@code shortcutDepthwise} and {@code shortcutPointwise} null for an identity shortcut.
     */
    public record Block(Bottleneck shape, GhostModule ghost1, Conv strideDepthwise, SqueezeExcite se,
                        GhostModule ghost2, Conv shortcutDepthwise, Conv shortcutPointwise) {}
}

package dev.ghostnet;

/**
 * One kernel call of an inference, as planned.
 *
 * @param layer          the PyTorch module it computes, e.g. {@code blocks.3.0.ghost1.primary}
 * @param op             the operation and its shape, e.g. {@code pointwise 40->60 @28x28}
 * @param outputHeight   rows of its output, per image
 * @param outputWidth    columns of its output
 * @param outputChannels channels it writes
 * @param parameters     trainable parameters of the layer, as PyTorch counts them
 * @param macsPerImage   multiply-adds against weights per image, as papers count them
 * @param fusedGroup     the fused group the step runs in (consecutive steps computed band by band of rows, so
 *                       each reads what the one before has just written), numbered from 0, or -1 for none
 */
public record PlanStep(String layer, String op, int outputHeight, int outputWidth, int outputChannels,
                       long parameters, long macsPerImage, int fusedGroup) {
    /**
     * The output shape as {@code HxWxC}, e.g. {@code 112x112x16}.
     *
     * @return the shape
     */
    public String outputShape() {
        return outputHeight + "x" + outputWidth + "x" + outputChannels;
    }
}

package dev.ghostnet.engine.model;

import java.util.List;

/**
 * Every layer's weights with BatchNorm folded in, in PyTorch's layouts, ready to be packed by a kernel family:
 * {@code layers.get(i)} holds layer i's convs in the order of its {@link LayerSpec#weights} (none for pooling
 * and adds, two for squeeze-excite). Produced by {@link WeightBinder}; heap arrays that live only while a model
 * is being prepared.
 */
public record FoldedWeights(ModelDescription description, List<List<Conv>> layers) {
    public FoldedWeights {
        layers = List.copyOf(layers);
        if (layers.size() != description.layers().size()) {
            throw new IllegalArgumentException(layers.size() + " layers of weights for " + description.layers().size()
                    + " layers");
        }
    }

    /** Conv weights {@code [out][in/groups][kh][kw]} (or linear {@code [out][in]}) and bias {@code [out]}. */
    public record Conv(float[] weights, float[] bias) {}

    /** Conv {@code index} of layer {@code layer}. */
    public Conv conv(int layer, int index) {
        return layers.get(layer).get(index);
    }
}

package dev.ghostnet.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects a {@link ModelDescription}'s tensors, layers and stages in order, for a variant's describer. */
final class DescriptionBuilder {
    private final GhostNetConfig config;
    private final String input;
    private final Map<String, Integer> tensors = new LinkedHashMap<>();
    private final List<LayerSpec> layers = new ArrayList<>();
    private final List<ModelDescription.Stage> stages = new ArrayList<>();

    DescriptionBuilder(GhostNetConfig config, String input, int inputChannels) {
        this.config = config;
        this.input = input;
        tensor(input, inputChannels);
    }

    /** Declares a tensor; returns its whole channel range. */
    LayerSpec.Slice tensor(String name, int channels) {
        if (tensors.putIfAbsent(name, channels) != null) {
            throw new IllegalArgumentException("tensor " + name + " is declared twice");
        }
        return whole(name);
    }

    LayerSpec.Slice whole(String name) {
        return new LayerSpec.Slice(name, 0, tensors.get(name));
    }

    void layer(String name, Op op, List<WeightSpec> weights, LayerSpec.Slice in, LayerSpec.Slice out,
               LayerSpec.Slice residual) {
        layers.add(new LayerSpec(name, op, weights, in, out, residual));
    }

    /** Marks {@code tensor} as complete after the layers added so far. */
    void stage(String tensor, int featureStride) {
        stages.add(new ModelDescription.Stage(tensor, layers.size(), featureStride));
    }

    ModelDescription build(String output) {
        return new ModelDescription(config, tensors, input, output, layers, stages);
    }
}

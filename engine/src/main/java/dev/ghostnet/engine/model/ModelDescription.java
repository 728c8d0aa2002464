package dev.ghostnet.engine.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network as data, the one place its structure is written down: the tensors, the layers in execution
 * order with their checkpoint keys, and the stages whose outputs are compared with PyTorch. Checkpoint
 * validation, weight binding, seeded weights, the execution plan, the layer table and the tests' naive
 * forward pass all read it. Built by {@link GhostNetConfig#describe} (a variant's describer, {@link GhostNetV1}
 * or {@link GhostNetV2}); holds for any input size.
 *
 * @param config       the version, width multiplier and number of classes it was built for
 * @param tensors      every tensor by name, with its channel count; spatial sizes follow from the layers
 * @param input        the name of the input tensor (N, H, W, 3), written by the caller
 * @param output       the name of the logits tensor (N, 1, 1, classes)
 * @param layers       every layer, in execution order
 * @param stages       named points of the forward pass, in order (stage name = tensor name)
 */
public record ModelDescription(GhostNetConfig config, Map<String, Integer> tensors,
                               String input, String output, List<LayerSpec> layers, List<Stage> stages) {

    /**
     * The tensor named {@code tensor} is complete once layers {@code [0, endLayer)} have run. A stage with
     * {@code featureStride} 8, 16 or 32 is exposed to detection necks as the feature map at that stride
     * relative to the input; 0 for the others.
     */
    public record Stage(String tensor, int endLayer, int featureStride) {}

    public ModelDescription {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        layers = List.copyOf(layers);
        stages = List.copyOf(stages);
        validate(tensors, input, output, layers, stages);
    }

    /** Every checkpoint key with its float32 shape, in state_dict order; no key appears twice. */
    public Map<String, long[]> stateDictShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (WeightSpec.Param p : params()) {
            shapes.put(p.key(), p.shape());
        }
        return shapes;
    }

    /** Every checkpoint entry, in state_dict order. */
    public List<WeightSpec.Param> params() {
        return layers.stream().flatMap(l -> l.weights().stream()).flatMap(w -> w.params().stream()).toList();
    }

    /**
     * Trainable parameters, as {@code sum(p.numel() for p in model.parameters())} counts them: BatchNorm's
     * running mean and variance are buffers, not parameters. 5,182,508 for GhostNet v1 at width 1.0, 1000 classes.
     */
    public long parameterCount() {
        return layers.stream().mapToLong(LayerSpec::parameters).sum();
    }

    /** The layer named {@code name}. */
    public LayerSpec layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(config.version() + " has no layer '" + name + "'"));
    }

    @Override
    public String toString() {
        return config.toString();
    }

    /** Catches a describer's wiring mistakes when it runs, naming the layer, rather than as wrong numbers later. */
    private static void validate(Map<String, Integer> tensors, String input, String output, List<LayerSpec> layers,
                                 List<Stage> stages) {
        Set<String> written = new HashSet<>(Set.of(input));
        Set<String> keys = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (LayerSpec layer : layers) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("two layers are named " + layer.name());
            }
            for (LayerSpec.Slice read : layer.residual() == null ? List.of(layer.input())
                    : List.of(layer.input(), layer.residual())) {
                checkSlice(tensors, layer, read);
                if (!written.contains(read.tensor())) {
                    throw new IllegalArgumentException(layer.name() + " reads " + read.tensor() + " before it is written");
                }
            }
            checkSlice(tensors, layer, layer.output());
            if (layer.op().updatesOutput() && !written.contains(layer.output().tensor())) {
                throw new IllegalArgumentException(layer.name() + " scales " + layer.output().tensor()
                        + " before it is written");
            }
            if (layer.output().tensor().equals(input)) {
                throw new IllegalArgumentException(layer.name() + " writes the input tensor");
            }
            written.add(layer.output().tensor());
            for (WeightSpec w : layer.weights()) {
                for (WeightSpec.Param p : w.params()) {
                    if (!keys.add(p.key())) {
                        throw new IllegalArgumentException(layer.name() + " repeats the checkpoint key " + p.key());
                    }
                }
            }
        }
        if (!written.contains(output)) {
            throw new IllegalArgumentException("no layer writes the output tensor " + output);
        }
        Map<String, Integer> lastWriter = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            lastWriter.put(layers.get(i).output().tensor(), i);
        }
        int previousEnd = 0;
        for (Stage stage : stages) {
            Integer last = lastWriter.get(stage.tensor());
            if (last == null || last >= stage.endLayer() || stage.endLayer() < previousEnd
                    || stage.endLayer() > layers.size()) {
                throw new IllegalArgumentException("stage " + stage + " does not follow the layers that write it");
            }
            previousEnd = stage.endLayer();
        }
    }

    private static void checkSlice(Map<String, Integer> tensors, LayerSpec layer, LayerSpec.Slice slice) {
        Integer channels = tensors.get(slice.tensor());
        if (channels == null || slice.end() > channels) {
            throw new IllegalArgumentException(layer.name() + " uses " + slice + " of a tensor with "
                    + (channels == null ? "no declaration" : channels + " channels"));
        }
    }
}

package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.BatchNorm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a checkpoint's state_dict into {@link FoldedWeights} for a {@link ModelDescription}: infers the version,
 * width and classes from the tensors' keys and shapes, checks every key, shape and dtype against the description, and folds
 * every BatchNorm into its conv, all at once ({@link #bind}) or layer by layer ({@link #layers}, what loading
 * uses, so the folded heap arrays of one layer at a time are alive). Either the whole model binds or a
 * {@link CheckpointException} names the first problem; nothing is half-loaded.
 */
public final class WeightBinder {
    /** Leftovers of the thop profiler and BN's step counter: present in real checkpoints, unused here. */
    private static final List<String> IGNORED_SUFFIXES = List.of("num_batches_tracked", "total_ops", "total_params");
    private static final String DATA_PARALLEL_PREFIX = "module.";

    private final Map<String, CheckpointTensor> tensors;

    private WeightBinder(Map<String, CheckpointTensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * A checkpoint whose keys and shapes matched a description, bound one layer at a time: each layer's
     * tensors are converted and folded only when {@link #layer} asks for them, so a model can be packed
     * layer by layer without all its heap arrays alive at once. Reads the state dict, which must stay open.
     */
    public static final class Layers {
        private final WeightBinder binder;
        private final ModelDescription description;

        private Layers(WeightBinder binder, ModelDescription description) {
            this.binder = binder;
            this.description = description;
        }

        public ModelDescription description() { return description; }

        /** Layer {@code i}'s convs, folded, in the order of its {@link LayerSpec#weights}. */
        public List<FoldedWeights.Conv> layer(int i) throws CheckpointException {
            List<FoldedWeights.Conv> convs = new ArrayList<>();
            for (WeightSpec w : description.layers().get(i).weights()) {
                convs.add(binder.bind(w));
            }
            return List.copyOf(convs);
        }

        /** Every layer at once. */
        public FoldedWeights all() throws CheckpointException {
            List<List<FoldedWeights.Conv>> layers = new ArrayList<>();
            for (int i = 0; i < description.layers().size(); i++) {
                layers.add(layer(i));
            }
            return new FoldedWeights(description, layers);
        }
    }

    /** Binds a checkpoint, inferring width and number of classes from its shapes. */
    public static FoldedWeights bind(StateDict stateDict) throws CheckpointException {
        return layers(stateDict).all();
    }

    /** Binds a checkpoint that must match {@code config} exactly. */
    public static FoldedWeights bind(StateDict stateDict, GhostNetConfig config) throws CheckpointException {
        return layers(stateDict, config).all();
    }

    /** {@link #bind(StateDict)}, layer by layer: keys and shapes are checked now, values when each layer is read. */
    public static Layers layers(StateDict stateDict) throws CheckpointException {
        WeightBinder binder = new WeightBinder(relevantTensors(stateDict));
        return new Layers(binder, binder.inferDescription());
    }

    /** {@link #bind(StateDict, GhostNetConfig)}, layer by layer. */
    public static Layers layers(StateDict stateDict, GhostNetConfig config) throws CheckpointException {
        WeightBinder binder = new WeightBinder(relevantTensors(stateDict));
        ModelDescription description = config.describe();
        binder.checkKeysAndShapes(description);
        return new Layers(binder, description);
    }

    private static Map<String, CheckpointTensor> relevantTensors(StateDict stateDict) {
        Map<String, CheckpointTensor> relevant = new LinkedHashMap<>();
        for (Map.Entry<String, CheckpointTensor> e : stateDict.tensors().entrySet()) {
            String key = e.getKey().startsWith(DATA_PARALLEL_PREFIX)
                    ? e.getKey().substring(DATA_PARALLEL_PREFIX.length()) : e.getKey();
            if (IGNORED_SUFFIXES.stream().noneMatch(key::endsWith)) {
                relevant.put(key, e.getValue());
            }
        }
        return relevant;
    }

    /**
     * The number of classes is the output layer's first dimension; version and width are the first whose
     * description has exactly the checkpoint's keys and shapes, trying the published widths, then multiples of
     * 0.05 up to 4. When none fits, the error is the one against the closest description.
     */
    private ModelDescription inferDescription() throws CheckpointException {
        WeightSpec.Param classifier = outputWeight(GhostNetConfig.imagenet(1.0).describe());
        long[] shape = require(classifier.key()).shape();
        if (shape.length != 2 || shape[0] <= 0 || shape[0] > Integer.MAX_VALUE) {
            throw new CheckpointException("key '" + classifier.key() + "': expected shape [classes, "
                    + classifier.shape()[1] + "], found " + Arrays.toString(shape));
        }
        int classes = (int) shape[0];
        List<Double> widths = new ArrayList<>(GhostNetConfig.PUBLISHED_WIDTHS);
        for (int hundredths = 5; hundredths <= 400; hundredths += 5) {
            widths.add(hundredths / 100.0);
        }
        for (double width : widths) {
            for (GhostNetConfig.Version version : GhostNetConfig.Version.values()) {
                ModelDescription description = new GhostNetConfig(version, width, classes).describe();
                if (matchesExactly(description)) {
                    return description;
                }
            }
        }
        ModelDescription closest = closest(classes);
        checkKeysAndShapes(closest);
        throw new CheckpointException("checkpoint does not match " + closest.config().version() + " at any width");
    }

    /**
     * Of the published widths and every version, the description whose first tensor (the stem) matches and
     * whose keys differ least from the checkpoint's: a v1 checkpoint missing one key is reported against v1,
     * a v2 checkpoint without a {@code short_conv} key against v2.
     */
    private ModelDescription closest(int classes) {
        ModelDescription best = null;
        long bestScore = Long.MAX_VALUE;
        for (double width : GhostNetConfig.PUBLISHED_WIDTHS) {
            for (GhostNetConfig.Version version : GhostNetConfig.Version.values()) {
                ModelDescription description = new GhostNetConfig(version, width, classes).describe();
                Map<String, long[]> expected = description.stateDictShapes();
                WeightSpec.Param first = description.params().getFirst();
                CheckpointTensor stem = tensors.get(first.key());
                long score = stem != null && Arrays.equals(stem.shape(), first.shape()) ? 0 : 1L << 32;
                for (String key : expected.keySet()) {
                    if (!tensors.containsKey(key)) score++;
                }
                for (String key : tensors.keySet()) {
                    if (!expected.containsKey(key)) score++;
                }
                if (score < bestScore) {
                    best = description;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    private static WeightSpec.Param outputWeight(ModelDescription description) {
        return description.layers().getLast().weights().getFirst().params().getFirst();
    }

    private boolean matchesExactly(ModelDescription description) {
        List<WeightSpec.Param> params = description.params();
        if (params.size() != tensors.size()) {
            return false;
        }
        for (WeightSpec.Param p : params) {
            CheckpointTensor t = tensors.get(p.key());
            if (t == null || !Arrays.equals(t.shape(), p.shape())) {
                return false;
            }
        }
        return true;
    }

    private void checkKeysAndShapes(ModelDescription description) throws CheckpointException {
        Map<String, long[]> expected = description.stateDictShapes();
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(tensors.keySet());
        if (!missing.isEmpty()) {
            throw new CheckpointException("checkpoint is missing " + missing.size() + " key(s) of " + description
                    + ", first: '" + missing.first() + "' " + Arrays.toString(expected.get(missing.first())));
        }
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        if (!unexpected.isEmpty()) {
            throw new CheckpointException("checkpoint has " + unexpected.size() + " unexpected key(s) for "
                    + description + ", first: '" + unexpected.first() + "' "
                    + Arrays.toString(tensors.get(unexpected.first()).shape()));
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] found = tensors.get(e.getKey()).shape();
            if (!Arrays.equals(found, e.getValue())) {
                throw new CheckpointException("key '" + e.getKey() + "': expected shape " + Arrays.toString(e.getValue())
                        + " for " + description + ", found " + Arrays.toString(found));
            }
        }
    }

    private FoldedWeights.Conv bind(WeightSpec spec) throws CheckpointException {
        Map<WeightSpec.Role, float[]> values = new EnumMap<>(WeightSpec.Role.class);
        for (WeightSpec.Param p : spec.params()) {
            values.put(p.role(), require(p.key()).toFloatArray());
        }
        float[] weights = values.get(WeightSpec.Role.WEIGHT);
        return switch (spec) {
            case WeightSpec.Biased _ -> new FoldedWeights.Conv(weights, values.get(WeightSpec.Role.BIAS));
            case WeightSpec.ConvBn c -> {
                BatchNorm.Folded folded = new BatchNorm(values.get(WeightSpec.Role.BN_SCALE),
                        values.get(WeightSpec.Role.BN_SHIFT), values.get(WeightSpec.Role.BN_MEAN),
                        values.get(WeightSpec.Role.BN_VARIANCE), BatchNorm.PYTORCH_DEFAULT_EPS).fold(weights, null);
                // A ghost module's concat(primary, cheap)[:out] drops the cheap op's last channel when out is odd.
                int channels = values.get(WeightSpec.Role.BN_SCALE).length;
                if (c.keptChannels() == channels) {
                    yield new FoldedWeights.Conv(folded.weights(), folded.bias());
                }
                int perChannel = weights.length / channels;
                yield new FoldedWeights.Conv(Arrays.copyOf(folded.weights(), c.keptChannels() * perChannel),
                        Arrays.copyOf(folded.bias(), c.keptChannels()));
            }
        };
    }

    private CheckpointTensor require(String key) throws CheckpointException {
        CheckpointTensor t = tensors.get(key);
        if (t == null) {
            throw new CheckpointException("checkpoint has no tensor '" + key + "'");
        }
        return t;
    }
}

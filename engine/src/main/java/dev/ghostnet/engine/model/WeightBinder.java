package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.BatchNorm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a checkpoint's state_dict into {@link GhostNetWeights}: infers the architecture from the tensors'
 * shapes, checks every key, shape and dtype, and folds every BatchNorm into its conv. Either the whole
 * model binds or a {@link CheckpointException} names the first problem; nothing is half-loaded.
 */
public final class WeightBinder {
    /** Leftovers of the thop profiler and BN's step counter: present in real checkpoints, unused here. */
    private static final List<String> IGNORED_SUFFIXES = List.of("num_batches_tracked", "total_ops", "total_params");
    private static final String DATA_PARALLEL_PREFIX = "module.";

    private final Map<String, CheckpointTensor> tensors;

    private WeightBinder(Map<String, CheckpointTensor> tensors) {
        this.tensors = tensors;
    }

    /** Binds a checkpoint, inferring width and number of classes from its shapes. */
    public static GhostNetWeights bind(StateDict stateDict) throws CheckpointException {
        WeightBinder binder = new WeightBinder(relevantTensors(stateDict));
        return binder.bindTo(binder.inferConfig());
    }

    /** Binds a checkpoint that must match {@code config} exactly. */
    public static GhostNetWeights bind(StateDict stateDict, GhostNetConfig config) throws CheckpointException {
        WeightBinder binder = new WeightBinder(relevantTensors(stateDict));
        binder.checkKeysAndShapes(config);
        return binder.bindTo(config);
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

    private GhostNetConfig inferConfig() throws CheckpointException {
        CheckpointTensor classifier = require("classifier.weight");
        long[] shape = classifier.shape();
        if (shape.length != 2 || shape[0] <= 0 || shape[0] > Integer.MAX_VALUE) {
            throw new CheckpointException("key 'classifier.weight': expected shape [classes, "
                    + GhostNetConfig.HEAD_CHANNELS + "], found " + Arrays.toString(shape));
        }
        int classes = (int) shape[0];
        List<Double> candidates = new ArrayList<>(GhostNetConfig.PUBLISHED_WIDTHS);
        for (int hundredths = 5; hundredths <= 400; hundredths += 5) {
            candidates.add(hundredths / 100.0);
        }
        for (double width : candidates) {
            GhostNetConfig config = new GhostNetConfig(width, classes);
            if (firstShapeMismatch(config) == null) {
                checkKeysAndShapes(config);
                return config;
            }
        }
        // No width fits: report against the published width whose stem matches, or width 1.0.
        GhostNetConfig closest = new GhostNetConfig(1.0, classes);
        for (double width : GhostNetConfig.PUBLISHED_WIDTHS) {
            GhostNetConfig config = new GhostNetConfig(width, classes);
            String stemKey = "conv_stem.weight";
            if (tensors.containsKey(stemKey) && tensors.get(stemKey).shape()[0] == config.stemChannels()) {
                closest = config;
                break;
            }
        }
        checkKeysAndShapes(closest);
        throw new CheckpointException("checkpoint does not match GhostNet v1 at any width");
    }

    private String firstShapeMismatch(GhostNetConfig config) {
        for (Map.Entry<String, long[]> e : StateDictLayout.expectedShapes(config).entrySet()) {
            CheckpointTensor t = tensors.get(e.getKey());
            if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    private void checkKeysAndShapes(GhostNetConfig config) throws CheckpointException {
        Map<String, long[]> expected = StateDictLayout.expectedShapes(config);
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(tensors.keySet());
        if (!missing.isEmpty()) {
            throw new CheckpointException("checkpoint is missing " + missing.size() + " key(s) of " + config
                    + ", first: '" + missing.first() + "' " + Arrays.toString(expected.get(missing.first())));
        }
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        if (!unexpected.isEmpty()) {
            throw new CheckpointException("checkpoint has " + unexpected.size() + " unexpected key(s) for " + config
                    + ", first: '" + unexpected.first() + "' " + Arrays.toString(tensors.get(unexpected.first()).shape()));
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] found = tensors.get(e.getKey()).shape();
            if (!Arrays.equals(found, e.getValue())) {
                throw new CheckpointException("key '" + e.getKey() + "': expected shape " + Arrays.toString(e.getValue())
                        + " for " + config + ", found " + Arrays.toString(found));
            }
        }
    }

    private GhostNetWeights bindTo(GhostNetConfig config) throws CheckpointException {
        GhostNetWeights.Conv stem = convBn("conv_stem", "bn1");
        List<GhostNetWeights.Block> blocks = new ArrayList<>();
        for (Bottleneck b : config.bottlenecks()) {
            String p = b.prefix();
            GhostNetWeights.GhostModule ghost1 = ghostModule(p + ".ghost1", b.mid());
            GhostNetWeights.Conv strideDw = b.stride() > 1 ? convBn(p + ".conv_dw", p + ".bn_dw") : null;
            GhostNetWeights.SqueezeExcite se = b.hasSqueezeExcite()
                    ? new GhostNetWeights.SqueezeExcite(convWithBias(p + ".se.conv_reduce"),
                            convWithBias(p + ".se.conv_expand"))
                    : null;
            GhostNetWeights.GhostModule ghost2 = ghostModule(p + ".ghost2", b.out());
            GhostNetWeights.Conv shortcutDw = null;
            GhostNetWeights.Conv shortcutPw = null;
            if (!b.identityShortcut()) {
                shortcutDw = convBn(p + ".shortcut.0", p + ".shortcut.1");
                shortcutPw = convBn(p + ".shortcut.2", p + ".shortcut.3");
            }
            blocks.add(new GhostNetWeights.Block(b, ghost1, strideDw, se, ghost2, shortcutDw, shortcutPw));
        }
        String last = GhostNetConfig.lastConvPrefix();
        GhostNetWeights.Conv lastConv = convBn(last + ".conv", last + ".bn1");
        return new GhostNetWeights(config, stem, blocks, lastConv, convWithBias("conv_head"),
                convWithBias("classifier"));
    }

    private GhostNetWeights.GhostModule ghostModule(String prefix, int out) throws CheckpointException {
        int init = StateDictLayout.ghostInitChannels(out);
        int cheapChannels = out - init;
        GhostNetWeights.Conv primary = convBn(prefix + ".primary_conv.0", prefix + ".primary_conv.1");
        GhostNetWeights.Conv cheap = convBn(prefix + ".cheap_operation.0", prefix + ".cheap_operation.1");
        // concat(primary, cheap)[:out]: when out is odd the cheap op's last channel is dropped.
        int perChannel = cheap.weights().length / init;
        GhostNetWeights.Conv kept = new GhostNetWeights.Conv(
                Arrays.copyOf(cheap.weights(), cheapChannels * perChannel), Arrays.copyOf(cheap.bias(), cheapChannels));
        return new GhostNetWeights.GhostModule(primary, kept, init, cheapChannels);
    }

    private GhostNetWeights.Conv convBn(String conv, String bn) throws CheckpointException {
        float[] weights = floats(conv + ".weight");
        BatchNorm batchNorm = new BatchNorm(floats(bn + ".weight"), floats(bn + ".bias"),
                floats(bn + ".running_mean"), floats(bn + ".running_var"), BatchNorm.PYTORCH_DEFAULT_EPS);
        BatchNorm.Folded folded = batchNorm.fold(weights, null);
        return new GhostNetWeights.Conv(folded.weights(), folded.bias());
    }

    private GhostNetWeights.Conv convWithBias(String prefix) throws CheckpointException {
        return new GhostNetWeights.Conv(floats(prefix + ".weight"), floats(prefix + ".bias"));
    }

    private float[] floats(String key) throws CheckpointException {
        return require(key).toFloatArray();
    }

    private CheckpointTensor require(String key) throws CheckpointException {
        CheckpointTensor t = tensors.get(key);
        if (t == null) {
            throw new CheckpointException("checkpoint has no tensor '" + key + "'");
        }
        return t;
    }
}

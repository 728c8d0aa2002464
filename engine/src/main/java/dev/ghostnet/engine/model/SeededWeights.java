package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.StateDict;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic random weights for a config, in the state_dict layout of a real checkpoint: the untrained
 * default model and test fixtures. Convs get He-normal weights (std sqrt(2 / fan_in)) so activations stay
 * of order one through the ReLUs; BatchNorms get gamma near 1, small beta, mean near 0 and variance near 1,
 * so folding is exercised. The BatchNorms that end a residual branch (ghost2's) get a small gamma, as
 * trained residual networks have: otherwise every one of the 16 shortcut adds doubles the variance.
 */
public final class SeededWeights {
    private SeededWeights() {}

    public static StateDict stateDict(GhostNetConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : StateDictLayout.expectedShapes(config).entrySet()) {
            String key = e.getKey();
            long[] shape = e.getValue();
            tensors.put(key, CheckpointTensor.ofFloats(key, shape, values(key, shape, random)));
        }
        return StateDict.of(tensors);
    }

    private static float[] values(String key, long[] shape, SplittableRandom random) {
        long count = 1;
        for (long d : shape) count *= d;
        float[] v = new float[Math.toIntExact(count)];
        if (shape.length >= 2) {
            long fanIn = count / shape[0];
            // The classifier is scaled down so the untrained model's logits are a few units, not tens:
            // a one-hot softmax would make its (meaningless) output look certain.
            double std = Math.sqrt(2.0 / fanIn) / (key.equals("classifier.weight") ? 16 : 1);
            for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(random) * std);
        } else if (key.endsWith("running_var")) {
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 + random.nextDouble());
        } else if (key.endsWith("running_mean") || key.endsWith(".bias")) {
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.1 * gaussian(random));
        } else if (key.contains(".ghost2.")) {
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.1 + 0.2 * random.nextDouble());
        } else {
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.8 + 0.4 * random.nextDouble());
        }
        return v;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian, and determinism across JDKs matters here.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

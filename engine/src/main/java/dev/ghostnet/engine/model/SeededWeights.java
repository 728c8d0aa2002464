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
        return stateDict(config.describe(), seed);
    }

    /** Every tensor of {@code description}'s state_dict, drawn in state_dict order from one seeded generator. */
    public static StateDict stateDict(ModelDescription description, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        WeightSpec classifier = description.layers().getLast().weights().getFirst();
        for (LayerSpec layer : description.layers()) {
            for (WeightSpec w : layer.weights()) {
                boolean smallScale = w instanceof WeightSpec.ConvBn c && c.endsResidualBranch();
                for (WeightSpec.Param p : w.params()) {
                    // The classifier is scaled down so the untrained model's logits are a few units, not tens:
                    // a one-hot softmax would make its (meaningless) output look certain.
                    int weightDivisor = w == classifier ? 16 : 1;
                    tensors.put(p.key(), CheckpointTensor.ofFloats(p.key(), p.shape(),
                            values(p, weightDivisor, smallScale, random)));
                }
            }
        }
        return StateDict.of(tensors);
    }

    private static float[] values(WeightSpec.Param p, int weightDivisor, boolean smallBnScale,
                                  SplittableRandom random) {
        long[] shape = p.shape();
        float[] v = new float[Math.toIntExact(p.elements())];
        switch (p.role()) {
            case WEIGHT -> {
                long fanIn = v.length / shape[0];
                double std = Math.sqrt(2.0 / fanIn) / weightDivisor;
                for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(random) * std);
            }
            case BN_VARIANCE -> {
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 + random.nextDouble());
            }
            case BN_MEAN, BN_SHIFT, BIAS -> {
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.1 * gaussian(random));
            }
            case BN_SCALE -> {
                double from = smallBnScale ? 0.1 : 0.8;
                double range = smallBnScale ? 0.2 : 0.4;
                for (int i = 0; i < v.length; i++) v[i] = (float) (from + range * random.nextDouble());
            }
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

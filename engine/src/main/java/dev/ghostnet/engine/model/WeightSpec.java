package dev.ghostnet.engine.model;

import java.util.Arrays;
import java.util.List;

/**
 * The checkpoint tensors one conv or linear layer reads. Every state_dict key is composed here, once, from
 * the layer's PyTorch module prefixes; loading, validation and seeding all go through {@link #params}.
 */
public sealed interface WeightSpec {

    /** The state_dict entries, in the order a PyTorch state_dict lists them. */
    List<Param> params();

    /** Trainable parameters as PyTorch counts them: BatchNorm's scale and shift, not its running statistics. */
    default long parameters() {
        return params().stream().filter(p -> p.role().trainable()).mapToLong(Param::elements).sum();
    }

    /** What a state_dict entry is to the layer. */
    enum Role {
        WEIGHT, BIAS, BN_SCALE, BN_SHIFT, BN_MEAN, BN_VARIANCE;

        boolean trainable() {
            return this != BN_MEAN && this != BN_VARIANCE;
        }
    }

    /** One state_dict entry: key, float32 shape and role. */
    record Param(String key, long[] shape, Role role) {
        public Param {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return "'" + key + "' " + Arrays.toString(shape);
        }
    }

    /**
     * A conv without bias ({@code conv.weight}, PyTorch's {@code [out][in/groups][kh][kw]}) followed by a
     * BatchNorm ({@code bn.weight}, {@code .bias}, {@code .running_mean}, {@code .running_var}), folded into one
     * conv with a bias at load time. The layer keeps the first {@code keptChannels} output channels (a ghost
     * module's cheap op makes one more than it keeps when its output channel count is odd).
     * {@code endsResidualBranch} marks the BatchNorms whose output a shortcut is added to (ghost2's): seeded
     * weights give them a small scale, as trained residual networks have.
     */
    record ConvBn(String conv, String bn, long[] convShape, int keptChannels, boolean endsResidualBranch)
            implements WeightSpec {
        public ConvBn {
            convShape = convShape.clone();
            if (keptChannels <= 0 || keptChannels > convShape[0]) {
                throw new IllegalArgumentException(conv + ": keeps " + keptChannels + " of " + convShape[0] + " channels");
            }
        }

        public List<Param> params() {
            long[] channels = {convShape[0]};
            return List.of(new Param(conv + ".weight", convShape, Role.WEIGHT),
                    new Param(bn + ".weight", channels, Role.BN_SCALE),
                    new Param(bn + ".bias", channels, Role.BN_SHIFT),
                    new Param(bn + ".running_mean", channels, Role.BN_MEAN),
                    new Param(bn + ".running_var", channels, Role.BN_VARIANCE));
        }
    }

    /** A conv or linear layer with its own bias and no BatchNorm: {@code prefix.weight} and {@code prefix.bias}. */
    record Biased(String prefix, long[] weightShape) implements WeightSpec {
        public Biased {
            weightShape = weightShape.clone();
        }

        public List<Param> params() {
            return List.of(new Param(prefix + ".weight", weightShape, Role.WEIGHT),
                    new Param(prefix + ".bias", new long[] {weightShape[0]}, Role.BIAS));
        }
    }
}

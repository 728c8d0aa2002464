package dev.ghostnet.engine.model;

import java.util.List;

/**
 * One layer of a {@link ModelDescription}: one kernel call of the execution plan.
 *
 * @param name     the layer's name in profiles and the layer table, e.g. {@code blocks.3.0.ghost1.primary}
 * @param op       what it computes
 * @param weights  the checkpoint tensors it reads (none for pooling and adds; two convs for squeeze-excite)
 * @param input    the channels it reads
 * @param output   the channels it writes: a ghost module's halves are slices of one tensor, so no concat is needed
 * @param residual the channels added to its result, or null; may be {@code output} itself (accumulate in place)
 */
public record LayerSpec(String name, Op op, List<WeightSpec> weights, Slice input, Slice output, Slice residual) {
    public LayerSpec {
        weights = List.copyOf(weights);
        if (input.count() != op.inChannels() || output.count() != op.outChannels()) {
            throw new IllegalArgumentException(name + ": " + op + " reads " + input + " and writes " + output);
        }
        if (residual != null && (!op.takesResidual() || residual.count() != output.count())) {
            throw new IllegalArgumentException(name + ": " + op + " cannot add residual " + residual);
        }
        if (op instanceof Op.Add && residual == null) {
            throw new IllegalArgumentException(name + ": an add needs a residual");
        }
    }

    /** Trainable parameters as PyTorch counts them. */
    public long parameters() {
        return weights.stream().mapToLong(WeightSpec::parameters).sum();
    }

    /** Channels {@code [from, from + count)} of the tensor named {@code tensor}. */
    public record Slice(String tensor, int from, int count) {
        public Slice {
            if (from < 0 || count <= 0) {
                throw new IllegalArgumentException("bad channel slice [" + from + ", " + from + "+" + count + ") of "
                        + tensor);
            }
        }

        public int end() {
            return from + count;
        }

        @Override
        public String toString() {
            return tensor + "[" + from + ":" + end() + "]";
        }
    }
}

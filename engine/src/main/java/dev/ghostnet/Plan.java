package dev.ghostnet;

import java.util.List;

/**
 * The execution plan a session builds for one input shape: its kernel calls in order and the off-heap
 * memory of its activations.
 *
 * @param batch           images per run
 * @param height          input rows
 * @param width           input columns
 * @param threads         threads per inference
 * @param steps           the kernel calls, in execution order
 * @param activationBytes off-heap bytes of the activation buffers
 */
public record Plan(int batch, int height, int width, int threads, List<PlanStep> steps, long activationBytes) {
    /**
     * Copies the step list.
     */
    public Plan {
        steps = List.copyOf(steps);
    }

    /**
     * Parameters summed over the steps: the model's parameter count.
     *
     * @return the sum
     */
    public long parameters() {
        return steps.stream().mapToLong(PlanStep::parameters).sum();
    }

    /**
     * Multiply-adds per image summed over the steps (141.15 M for GhostNet 1.0 at 224x224).
     *
     * @return the sum
     */
    public long macsPerImage() {
        return steps.stream().mapToLong(PlanStep::macsPerImage).sum();
    }
}

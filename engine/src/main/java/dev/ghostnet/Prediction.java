package dev.ghostnet;

/**
 * One class of a {@link Classification}: its index in the model's output, its name, and its softmax
 * probability.
 *
 * @param index       the class index, 0 to classes - 1
 * @param label       the ImageNet class name for 1000-class models, else {@code "class <index>"}
 * @param probability the softmax of the logits at {@code index}, in [0, 1]
 */
public record Prediction(int index, String label, float probability) {
    /**
     * Checks the index and the label.
     *
     * @throws IllegalArgumentException when the index is negative or the label null
     */
    public Prediction {
        if (index < 0) {
            throw new IllegalArgumentException("class index must not be negative, got " + index);
        }
        if (label == null) {
            throw new IllegalArgumentException("label must not be null");
        }
    }
}

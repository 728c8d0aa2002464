package dev.ghostnet;

import java.util.List;

/**
 * The top classes for one image, most probable first (ties in index order).
 *
 * @param source where the image came from: the file path as given, or {@code "image <i>"} / {@code "input <i>"}
 *               for images passed in memory, {@code i} being the position in the call's list or batch
 * @param top    the predictions, at least one, sorted by descending probability
 */
public record Classification(String source, List<Prediction> top) {
    /**
     * Copies the predictions.
     *
     * @throws IllegalArgumentException when the source is null or there are no predictions
     */
    public Classification {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        top = List.copyOf(top);
        if (top.isEmpty()) {
            throw new IllegalArgumentException("a classification needs at least one prediction");
        }
    }

    /**
     * The most probable class.
     *
     * @return the first prediction
     */
    public Prediction best() {
        return top.getFirst();
    }
}

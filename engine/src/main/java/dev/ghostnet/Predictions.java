package dev.ghostnet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Logits to the top-k classes: a numerically stable softmax and a partial selection. */
final class Predictions {
    private Predictions() {}

    /**
     * The {@code k} most probable of the {@code classes} logits at {@code logits[offset ...]}, most probable
     * first, ties broken by the lower index. {@code k} is capped at {@code classes}.
     *
     * <p>The softmax subtracts the largest logit before exponentiating and sums in double: float logits of
     * untrained or badly scaled models reach 1e6, where a naive float softmax gives infinities.
     */
    static List<Prediction> top(float[] logits, int offset, int classes, int k, IntFunction<String> labels,
                                String source) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            float v = logits[offset + i];
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("logit " + i + " of " + source + " is " + v
                        + ": the model's weights or the input are broken");
            }
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        int[] best = topIndices(logits, offset, classes, Math.min(k, classes));
        List<Prediction> top = new ArrayList<>(best.length);
        for (int index : best) {
            float probability = (float) (Math.exp(logits[offset + index] - max) / sum);
            top.add(new Prediction(index, labels.apply(index), probability));
        }
        return top;
    }

    /** Insertion into a sorted window of k: O(classes * k), no boxing, fine for k much smaller than 1000. */
    private static int[] topIndices(float[] logits, int offset, int classes, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < classes; i++) {
            float v = logits[offset + i];
            if (filled == k && !(v > logits[offset + best[k - 1]])) {
                continue;
            }
            // Strictly greater moves an entry down, so an equal logit keeps the lower index in front.
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && v > logits[offset + best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return best;
    }
}

package dev.ghostnet.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The most probable classes of one image's logits, by softmax. The batch runs logits for every request
 * (the inference protocol returns them raw), so the classify endpoint ranks them here.
 */
final class TopK {
    /** One ranked class. */
    record Scored(int index, String label, float probability) {}

    private TopK() {}

    /**
     * The {@code k} best of {@code classes} logits from {@code offset}, most probable first, ties to the lower
     * index. The softmax subtracts the largest logit first: untrained models give logits large enough to
     * overflow {@code exp} otherwise.
     */
    static List<Scored> of(float[] logits, int offset, int classes, int k, IntFunction<String> labels) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            float v = logits[offset + i];
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("logit " + i + " is " + v + ": the model or its input is broken");
            }
            max = Math.max(max, v);
        }
        double total = 0;
        for (int i = 0; i < classes; i++) {
            total += Math.exp(logits[offset + i] - max);
        }
        boolean[] taken = new boolean[classes];
        List<Scored> top = new ArrayList<>(k);
        for (int rank = 0; rank < Math.min(k, classes); rank++) {
            int best = -1;
            for (int i = 0; i < classes; i++) {
                if (!taken[i] && (best < 0 || logits[offset + i] > logits[offset + best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Scored(best, labels.apply(best), (float) (Math.exp(logits[offset + best] - max) / total)));
        }
        return top;
    }
}

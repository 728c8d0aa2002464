package dev.ghostnet.verify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One image's top-k classes: the engine's against PyTorch's float64 ones.
 *
 * <p>Ties: if every engine logit is within {@code e} of the float64 one, the engine's i-th largest value is
 * within {@code e} of float64's i-th largest (order statistics move no more than the values do), so the
 * class the engine ranks i-th has a float64 logit within {@code 2e} of float64's i-th largest. Exactly
 * those classes are accepted at rank i, with {@code e} the engine's measured max logit error: where
 * float64's gaps are wider than {@code 2e} (nearly always, logits are O(1) and e ~1e-5) this is plain
 * equality of the ranked lists, and the few swaps it does allow are counted in {@link #swaps}.
 */
public record TopK(int image, int[] engine, int[] reference, double allowedGap, int swaps, int firstBadRank) {

    public static TopK compare(int image, float[] engineLogits, double[] referenceLogits, int k, double engineError) {
        int[] e = top(k, i -> engineLogits[i], engineLogits.length);
        int[] r = top(k, i -> referenceLogits[i], referenceLogits.length);
        double allowedGap = 2 * engineError;
        int swaps = 0;
        int firstBad = -1;
        for (int rank = 0; rank < k; rank++) {
            if (e[rank] == r[rank]) continue;
            if (Math.abs(referenceLogits[e[rank]] - referenceLogits[r[rank]]) <= allowedGap) {
                swaps++;
            } else if (firstBad < 0) {
                firstBad = rank;
            }
        }
        return new TopK(image, e, r, allowedGap, swaps, firstBad);
    }

    public boolean passed() {
        return firstBadRank < 0;
    }

    @Override
    public String toString() {
        String verdict = passed() ? "ok" : "FAIL at rank " + (firstBadRank + 1);
        return "image " + image + ": engine " + Arrays.toString(engine) + ", torch fp64 " + Arrays.toString(reference)
                + (swaps > 0 ? " (" + swaps + " swap(s) of logits closer than " + String.format("%.1e", allowedGap) + ")" : "")
                + ": " + verdict;
    }

    private interface Value {
        double at(int i);
    }

    /** Indices of the k largest values, largest first; equal values keep the lower index first. */
    private static int[] top(int k, Value v, int n) {
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v.at(i)).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }
}

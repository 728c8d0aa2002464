package dev.ghostnet.engine.runtime;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The soak's pass criteria. Warm-up is the first quarter of the samples (JIT code, class metadata and
 * malloc arenas settle there). Memory after a GC still swings with where the sample falls (a model being
 * rebuilt, G1 resizing), so the test compares medians: the median of the last five samples may not
 * exceed the median of the five after warm-up by more than the bound. A session owns its off-heap
 * activations and a model megabytes of weights, and the long run opens 150 sessions and 7 models after
 * warm-up: leaking either would cross these bounds.
 */
final class SoakBounds {
    static final long HEAP = 8L << 20;
    static final long RSS = 48L << 20;
    static final long NMT = 32L << 20;
    private static final int WINDOW = 5;

    private SoakBounds() {}

    static String describe() {
        return "median of the last 5 samples vs the 5 after warm-up: heap < +8 MiB, RSS < +48 MiB, NMT non-heap < +32 MiB";
    }

    /** Null when the samples stay within bounds, else what grew. */
    static String check(List<Soak.Sample> samples) {
        int warm = Math.max(1, samples.size() / 4);
        List<Soak.Sample> after = samples.subList(warm, Math.min(samples.size(), warm + WINDOW));
        List<Soak.Sample> last = samples.subList(Math.max(warm, samples.size() - WINDOW), samples.size());
        StringBuilder problems = new StringBuilder();
        grew(problems, "heap", median(after, Soak.Sample::heapUsed), median(last, Soak.Sample::heapUsed), HEAP);
        grew(problems, "RSS", median(after, Soak.Sample::rss), median(last, Soak.Sample::rss), RSS);
        grew(problems, "NMT non-heap", median(after, Soak.Sample::nmtCommitted), median(last, Soak.Sample::nmtCommitted), NMT);
        return problems.isEmpty() ? null : problems.toString().strip();
    }

    private static long median(List<Soak.Sample> samples, ToLongFunction<Soak.Sample> figure) {
        long[] values = samples.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }

    private static void grew(StringBuilder problems, String what, long from, long to, long bound) {
        if (from < 0 || to < 0) return;
        if (to - from > bound) {
            problems.append(String.format("%s grew %.1f MiB after warm-up (median %.1f -> %.1f), bound %.0f MiB; ", what,
                    Soak.mib(to - from), Soak.mib(from), Soak.mib(to), Soak.mib(bound)));
        }
    }
}

package dev.ghostnet.engine.runtime;

import java.util.List;

/**
 * The soak's pass criteria. Warm-up is the first quarter of the samples (JIT code, class metadata and
 * malloc arenas settle there); after it, each figure may not end higher than its post-warm-up value by
 * more than its bound. A session owns its off-heap activations and a model megabytes of weights, and
 * the long run opens 200 sessions and 10 models after warm-up: leaking either would cross these bounds.
 */
final class SoakBounds {
    static final long HEAP = 8L << 20;
    static final long RSS = 48L << 20;
    static final long NMT = 32L << 20;

    private SoakBounds() {}

    static String describe() {
        return "after warm-up, heap grows < 8 MiB, RSS < 48 MiB, NMT committed < 32 MiB";
    }

    /** Null when the samples stay within bounds, else what grew. */
    static String check(List<Soak.Sample> samples) {
        Soak.Sample warm = samples.get(Math.max(1, samples.size() / 4));
        Soak.Sample last = samples.getLast();
        StringBuilder problems = new StringBuilder();
        grew(problems, "heap", warm.heapUsed(), last.heapUsed(), HEAP);
        grew(problems, "RSS", warm.rss(), last.rss(), RSS);
        grew(problems, "NMT committed", warm.nmtCommitted(), last.nmtCommitted(), NMT);
        return problems.isEmpty() ? null : problems.toString().strip();
    }

    private static void grew(StringBuilder problems, String what, long from, long to, long bound) {
        if (from < 0 || to < 0) return;
        if (to - from > bound) {
            problems.append(String.format("%s grew %.1f MiB after warm-up (%.1f -> %.1f), bound %.0f MiB; ", what,
                    Soak.mib(to - from), Soak.mib(from), Soak.mib(to), Soak.mib(bound)));
        }
    }
}

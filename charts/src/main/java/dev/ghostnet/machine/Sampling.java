package dev.ghostnet.machine;

/**
 * Best-of-samples timing for ceilings (peak FMA rate, bandwidth): short samples until the best has not
 * improved by more than 2% for {@link #STABLE_MILLIS} ms, within {@link #MAX_MILLIS} ms. The long stable
 * window is for the JIT: interpreted, a Vector API loop runs ~1000x slower and so reaches the compile
 * thresholds late; on a busy machine (load 4 on 2 CPUs) a loop was seen at 0.04 G MAC/s for over a second
 * before C2 compiled it, then at 37.
 */
final class Sampling {
    static final long STABLE_MILLIS = 2000;
    static final long MAX_MILLIS = 10000;
    private static final long SAMPLE_NANOS = 20_000_000L;

    /** One unit of work; returns a value so the JIT cannot drop it. */
    interface Work {
        float run();
    }

    private Sampling() {}

    /** The best rate over the samples, in {@code unitsPerCall} per nanosecond (MACs per ns = G MAC/s). */
    static double best(Work work, double unitsPerCall) {
        float sink = 0;
        double best = 0;
        long start = System.nanoTime();
        long improved = start;
        long deadline = start + MAX_MILLIS * 1_000_000L;
        while (System.nanoTime() - improved < STABLE_MILLIS * 1_000_000L && System.nanoTime() < deadline) {
            long calls = 0;
            long t0 = System.nanoTime();
            long elapsed;
            do {
                sink += work.run();
                calls++;
                elapsed = System.nanoTime() - t0;
            } while (elapsed < SAMPLE_NANOS);
            double rate = calls * unitsPerCall / elapsed;
            if (rate > best * 1.02) improved = System.nanoTime();
            best = Math.max(best, rate);
        }
        if (Float.isNaN(sink)) throw new IllegalStateException("measurement loop produced NaN");
        return best;
    }
}

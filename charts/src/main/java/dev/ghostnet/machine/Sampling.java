package dev.ghostnet.machine;

/**
 * Best-of-samples timing for ceilings (peak FMA rate, bandwidth): samples of {@value #SAMPLE_NANOS} ns
 * until the best has not improved by more than 2% for {@link #STABLE_MILLIS} ms, within {@link #MAX_MILLIS} ms.
 *
 * <p>Samples are short so that on a shared machine many fit inside one scheduler slice in which this thread
 * has the core to itself: with 20 ms samples at load 12 on 2 CPUs the best FMA sample was 27.7 G MAC/s while
 * a pointwise kernel timed call by call reached 31. The long stable window is for the JIT: interpreted, a
 * Vector API loop runs ~1000x slower and so reaches the compile thresholds late; at load 4 a loop was seen
 * at 0.04 G MAC/s for over a second before C2 compiled it.
 */
final class Sampling {
    static final long STABLE_MILLIS = 2000;
    static final long MAX_MILLIS = 10000;
    static final long SAMPLE_NANOS = 500_000L;

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

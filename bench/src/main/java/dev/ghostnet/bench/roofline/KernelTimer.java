package dev.ghostnet.bench.roofline;

import dev.ghostnet.bench.stats.Stats;
import java.util.Arrays;

/**
 * Times one kernel call. Warm-up first, until the JIT is done with it: at least {@code warmupMs}, then on
 * until the fastest call has not improved by 5% for another {@code warmupMs} (at most
 * {@value #MAX_WARMUP_FACTOR} x {@code warmupMs} in all). A fixed warm-up is not enough on a busy machine:
 * with 300 ms, large kernels (one call = hundreds of microseconds) were still running C1 code at
 * 0.1 G MAC/s, 30-50x below what the same kernel reaches in the network profile.
 *
 * <p>Then calls are timed one by one for at least {@code measureMs} and at least {@code minCalls} calls;
 * the median call is the figure. Call by call rather than batches: on a shared machine a short call is
 * either preempted or not, and the median sees the calls that were not, where a batch's mean would carry
 * every preemption in it (the same reason the FMA peak is sampled in short pieces).
 */
record KernelTimer(long warmupMs, int minCalls, long measureMs) {
    private static final int MIN_WARMUP_CALLS = 3;
    static final int MAX_WARMUP_FACTOR = 10;

    KernelTimer {
        if (warmupMs < 0 || minCalls <= 0 || measureMs < 0) {
            throw new IllegalArgumentException("warm-up and measuring time must not be negative, calls positive");
        }
    }

    Stats time(Runnable call) {
        warmUp(call);
        double[] ms = new double[Math.max(minCalls, 64)];
        int calls = 0;
        long end = System.nanoTime() + measureMs * 1_000_000L;
        while (calls < minCalls || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            call.run();
            long t1 = System.nanoTime();
            if (calls == ms.length) ms = Arrays.copyOf(ms, 2 * calls);
            ms[calls++] = (t1 - t0) / 1e6;
        }
        return Stats.of(Arrays.copyOf(ms, calls));
    }

    private void warmUp(Runnable call) {
        long window = warmupMs * 1_000_000L;
        long start = System.nanoTime();
        long improved = start;
        long best = Long.MAX_VALUE;
        for (int i = 0; ; i++) {
            long t0 = System.nanoTime();
            call.run();
            long t1 = System.nanoTime();
            if (t1 - t0 < best * 0.95) {
                best = t1 - t0;
                improved = t1;
            }
            boolean settled = t1 - start >= window && t1 - improved >= window;
            if (i + 1 >= MIN_WARMUP_CALLS && (settled || t1 - start >= MAX_WARMUP_FACTOR * window)) return;
        }
    }
}

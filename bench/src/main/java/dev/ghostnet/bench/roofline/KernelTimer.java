package dev.ghostnet.bench.roofline;

import dev.ghostnet.bench.stats.Stats;
import java.util.Arrays;

/**
 * Times one kernel call: runs it for {@code warmupMs} (C2 compiles it meanwhile; at least a few calls),
 * then times call by call for at least {@code measureMs} and at least {@code minCalls} calls. The median
 * call is the figure. Call by call rather than batches of calls: on a shared machine a short call is
 * either preempted or not, and the median sees the calls that were not, where a batch's mean would carry
 * every preemption in it (the same reason the FMA peak is sampled in short pieces).
 */
record KernelTimer(long warmupMs, int minCalls, long measureMs) {
    private static final int MIN_WARMUP_CALLS = 3;

    KernelTimer {
        if (warmupMs < 0 || minCalls <= 0 || measureMs < 0) {
            throw new IllegalArgumentException("warm-up and measuring time must not be negative, calls positive");
        }
    }

    Stats time(Runnable call) {
        long warmupEnd = System.nanoTime() + warmupMs * 1_000_000L;
        for (int i = 0; i < MIN_WARMUP_CALLS || System.nanoTime() < warmupEnd; i++) {
            call.run();
        }
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
}

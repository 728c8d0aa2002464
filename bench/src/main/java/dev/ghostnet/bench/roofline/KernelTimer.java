package dev.ghostnet.bench.roofline;

import dev.ghostnet.bench.stats.Stats;

/**
 * Times one kernel call: runs it for {@code warmupMs} (C2 compiles it meanwhile; at least a few calls),
 * then {@code samples} samples of at least {@code sampleMs} each (at least one call), each sample's time
 * per call in ms. The median is the figure: on a shared machine the best sample flatters and the mean
 * follows the other jobs.
 */
record KernelTimer(long warmupMs, int samples, long sampleMs) {
    private static final int MIN_WARMUP_CALLS = 3;

    KernelTimer {
        if (warmupMs < 0 || samples <= 0 || sampleMs < 0) {
            throw new IllegalArgumentException("warm-up and sample time must not be negative, samples positive");
        }
    }

    Stats time(Runnable call) {
        long warmupEnd = System.nanoTime() + warmupMs * 1_000_000L;
        for (int i = 0; i < MIN_WARMUP_CALLS || System.nanoTime() < warmupEnd; i++) {
            call.run();
        }
        double[] msPerCall = new double[samples];
        for (int s = 0; s < samples; s++) {
            long calls = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                call.run();
                calls++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < sampleMs * 1_000_000L);
            msPerCall[s] = elapsed / 1e6 / calls;
        }
        return Stats.of(msPerCall);
    }
}

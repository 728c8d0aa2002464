package dev.ghostnet.bench.compare;

import java.time.Duration;
import java.util.List;

/**
 * Times engines of one row in turns (see {@link AbSchedule}); warm-up alternates too, so every engine's
 * JIT or thread pools are equally warm when timing starts. Returns milliseconds per batch, per engine in
 * the order given.
 *
 * <p>Each turn starts with untimed runs for {@link #SETTLE}: the engine before it leaves its thread pool
 * spinning. Measured at 2 threads, batch 1 (mean of 10 turns by position in the turn): this engine's first
 * three runs after ONNX Runtime's turn took 10.5, 11.1 and 6.6 ms against a steady 3.6, and ONNX Runtime's
 * first after this engine's 8.6 against 5.6; with ONNX Runtime's spinning switched off, this engine's first
 * run took 4.5. Those runs timed the other engine's idle threads, not the engine in turn, and made up the
 * p90 column at two threads.
 */
final class InterleavedRunner {
    /** How long each turn runs untimed before its timed iterations. */
    static final Duration SETTLE = Duration.ofMillis(50);

    /** Told after each turn so a long run shows it is alive. */
    interface Progress {
        void turnDone(AbSchedule.Turn turn, String engine);
    }

    private InterleavedRunner() {}

    static double[][] measure(List<? extends BenchEngine> engines, int warmup, AbSchedule schedule, Duration settle,
                              Progress progress) throws Exception {
        for (int w = 0; w < warmup; w++) {
            for (BenchEngine engine : engines) {
                engine.run();
            }
        }
        double[][] millis = new double[engines.size()][schedule.samplesPerEngine()];
        int[] filled = new int[engines.size()];
        for (AbSchedule.Turn turn : schedule.turns()) {
            BenchEngine engine = engines.get(turn.engine());
            double[] out = millis[turn.engine()];
            long settleEnd = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() - settleEnd < 0) {
                engine.run();
            }
            for (int i = 0; i < schedule.itersPerTurn(); i++) {
                long t0 = System.nanoTime();
                engine.run();
                out[filled[turn.engine()]++] = (System.nanoTime() - t0) / 1e6;
            }
            progress.turnDone(turn, engine.name());
        }
        return millis;
    }
}

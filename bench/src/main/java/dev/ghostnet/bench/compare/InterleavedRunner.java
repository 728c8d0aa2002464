package dev.ghostnet.bench.compare;

import java.util.List;

/**
 * Times engines of one row in turns (see {@link AbSchedule}); warm-up alternates too, so every engine's
 * JIT or thread pools are equally warm when timing starts. Returns milliseconds per batch, per engine in
 * the order given.
 */
final class InterleavedRunner {
    /** Told after each turn so a long run shows it is alive. */
    interface Progress {
        void turnDone(AbSchedule.Turn turn, String engine);
    }

    private InterleavedRunner() {}

    static double[][] measure(List<? extends BenchEngine> engines, int warmup, AbSchedule schedule, Progress progress)
            throws Exception {
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

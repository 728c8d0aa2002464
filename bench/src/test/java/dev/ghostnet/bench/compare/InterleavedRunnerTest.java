package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterleavedRunnerTest {
    /** Records every run in a shared log, so the test sees the order the engines were called in. */
    private record Recorder(String name, List<String> log) implements BenchEngine {
        public void run() { log.add(name); }
        public float[] logits() { return new float[0]; }
        public void close() {}
    }

    @Test
    void warmUpAndTurnsAlternate() throws Exception {
        List<String> log = new ArrayList<>();
        List<String> turns = new ArrayList<>();
        List<Recorder> engines = List.of(new Recorder("A", log), new Recorder("B", log));
        double[][] millis = InterleavedRunner.measure(engines, 2, new AbSchedule(2, 2, 3), Duration.ZERO,
                (turn, engine) -> turns.add(turn.round() + engine));
        assertEquals(List.of("A", "B", "A", "B",                  // warm-up, alternating
                "A", "A", "A", "B", "B", "B", "A", "A", "A", "B", "B", "B"), log);
        assertEquals(List.of("0A", "0B", "1A", "1B"), turns);
        assertEquals(2, millis.length);
        for (double[] samples : millis) {
            assertEquals(6, samples.length);
            for (double ms : samples) {
                assertTrue(ms >= 0);
            }
        }
    }

    @Test
    void eachTurnSettlesUntimedBeforeItsTimedRuns() throws Exception {
        List<String> log = new ArrayList<>();
        List<Integer> runsBeforeTurnDone = new ArrayList<>();
        List<Recorder> engines = List.of(new Recorder("A", log), new Recorder("B", log));
        double[][] millis = InterleavedRunner.measure(engines, 0, new AbSchedule(2, 2, 3), Duration.ofMillis(5),
                (turn, engine) -> runsBeforeTurnDone.add(log.size()));
        assertEquals(4, runsBeforeTurnDone.size());
        int previous = 0;
        for (int t = 0; t < 4; t++) {
            int runs = runsBeforeTurnDone.get(t) - previous;
            assertTrue(runs > 3, "turn " + t + " ran " + runs + " times, its 3 timed runs and no untimed ones");
            String engine = t % 2 == 0 ? "A" : "B";
            for (int i = previous; i < runsBeforeTurnDone.get(t); i++) {
                assertEquals(engine, log.get(i), "run " + i + " of turn " + t);
            }
            previous = runsBeforeTurnDone.get(t);
        }
        assertEquals(6, millis[0].length);
        assertEquals(6, millis[1].length);
    }
}

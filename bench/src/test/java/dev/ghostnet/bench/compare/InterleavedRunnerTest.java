package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

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
        double[][] millis = InterleavedRunner.measure(engines, 2, new AbSchedule(2, 2, 3),
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
}

package dev.ghostnet.bench.roofline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.bench.stats.Stats;
import org.junit.jupiter.api.Test;

class KernelTimerTest {
    @Test
    void warmsUpThenTimesAtLeastTheMinimumCallsOneByOne() {
        int[] calls = {0};
        Stats stats = new KernelTimer(0, 5, 0).time(() -> calls[0]++);
        assertEquals(5, stats.count());
        assertEquals(3 + 5, calls[0], "three warm-up calls, then the timed ones");
        assertTrue(stats.p10() <= stats.median() && stats.median() <= stats.p90());
    }

    @Test
    void warmUpLastsUntilTheFastestCallIsStable() {
        long[] calls = {0};
        long start = System.nanoTime();
        new KernelTimer(20, 1, 0).time(() -> calls[0]++);
        double ms = (System.nanoTime() - start) / 1e6;
        assertTrue(ms >= 20, "warm-up shorter than its minimum: " + ms + " ms");
        assertThrows(IllegalArgumentException.class, () -> new KernelTimer(-1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new KernelTimer(0, 0, 0));
    }
}

package dev.ghostnet.bench.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {
    @Test
    void percentilesInterpolateLikeNumpy() {
        // numpy.percentile([4, 1, 3, 2], [50, 10, 90]) == [2.5, 1.3, 3.7]
        Stats s = Stats.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(1.3, s.p10(), 1e-12);
        assertEquals(3.7, s.p90(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(4, s.count());
    }

    @Test
    void oddCountMedianIsTheMiddleSample() {
        // numpy.percentile([5, 9, 1, 7, 3], 90) == 8.2
        Stats s = Stats.of(new double[] {5, 9, 1, 7, 3});
        assertEquals(5, s.median(), 1e-12);
        assertEquals(8.2, s.p90(), 1e-12);
    }

    @Test
    void oneSampleIsEveryStatistic() {
        Stats s = Stats.of(new double[] {3.25});
        assertEquals(3.25, s.median());
        assertEquals(3.25, s.p90());
        assertEquals(3.25, s.min());
    }

    @Test
    void leavesTheCallersArrayUnsorted() {
        double[] samples = {3, 1, 2};
        Stats.of(samples);
        assertArrayEquals(new double[] {3, 1, 2}, samples);
    }

    @Test
    void percentileEnds() {
        double[] sorted = {1, 2, 10};
        assertEquals(1, Stats.percentile(sorted, 0));
        assertEquals(10, Stats.percentile(sorted, 100));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(sorted, 101));
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
    }

    @Test
    void perImageDividesEveryFigure() {
        Stats s = new Stats(8, 6, 16, 4, 10).dividedBy(8);
        assertEquals(new Stats(1, 0.75, 2, 0.5, 10), s);
    }
}

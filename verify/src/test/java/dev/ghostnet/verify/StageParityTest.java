package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The comparison and top-k rules on hand-made arrays. */
class StageParityTest {
    private static final Tolerance T = new Tolerance(4, 1e-6, 1e-9);
    private static final long[] SHAPE = {2, 3, 2, 2};

    private static double[] ramp() {
        double[] r = new double[24];
        // Exact in float, |values| < 1 so that float32 resolves offsets of 1e-6 to a few percent.
        for (int i = 0; i < r.length; i++) r[i] = (i - 10.5) / 16;
        return r;
    }

    private static float[] rounded(double[] r, double offset) {
        float[] f = new float[r.length];
        for (int i = 0; i < r.length; i++) f[i] = (float) (r[i] + offset);
        return f;
    }

    @Test
    void limitIsFactorTimesTorchErrorPlusFloors() {
        double[] ref = ramp();
        StageParity p = StageParity.compare("s", SHAPE, rounded(ref, 3e-6), rounded(ref, 1e-6), ref, T);
        // torch error 1e-6 up to float rounding of the offset values; max |ref| = 12.5 / 16.
        assertEquals(1e-6, p.torchError(), 1e-7);
        assertEquals(4 * p.torchError() + 1e-6 * 12.5 / 16 + 1e-9, p.limit(), 1e-15);
        assertTrue(p.passed(), p.toString());
        assertEquals(3.0, p.ratio(), 0.3);
        StageParity tooFar = StageParity.compare("s", SHAPE, rounded(ref, 6e-6), rounded(ref, 1e-6), ref, T);
        assertFalse(tooFar.passed(), "6e-6 is over 4 x 1e-6 + 0.8e-6\n" + tooFar);
    }

    @Test
    void firstBadElementIsNamedInNchw() {
        double[] ref = ramp();
        float[] engine = rounded(ref, 0);
        engine[17] += 0.01f; // n = 1, c = 1, h = 0, w = 1
        engine[22] += 0.05f; // the largest error comes later: the first one over the limit is reported
        StageParity p = StageParity.compare("blocks.3.0", SHAPE, engine, rounded(ref, 0), ref, T);
        assertFalse(p.passed());
        assertArrayEquals(new int[] {1, 1, 0, 1}, p.firstBad());
        assertEquals(0.05, p.engineError(), 1e-6);
        assertTrue(p.verdict().startsWith("FAIL at (n=1, c=1, h=0, w=1)"), p.verdict());
    }

    @Test
    void nanFailsAndVectorStagesIndexAsNc() {
        double[] ref = {1, 2, 3, 4, 5, 6};
        float[] engine = rounded(ref, 0);
        engine[4] = Float.NaN;
        StageParity p = StageParity.compare("logits", new long[] {2, 3}, engine, rounded(ref, 0), ref, T);
        assertFalse(p.passed());
        assertArrayEquals(new int[] {1, 1, 0, 0}, p.firstBad());
    }

    @Test
    void exactlyZeroStagePassesOnlyWithinTheAbsoluteFloor() {
        double[] zero = new double[4];
        long[] shape = {1, 4};
        assertTrue(StageParity.compare("z", shape, new float[4], new float[4], zero, T).passed());
        assertFalse(StageParity.compare("z", shape, new float[] {0, 1e-6f, 0, 0}, new float[4], zero, T).passed());
    }

    @Test
    void topKAcceptsASwapOnlyWhereTheReferenceGapIsWithinTwiceTheEngineError() {
        double[] ref = {0, 5.0, 4.0, 3.0, 2.99999, 1.0, 0.5};
        // Classes 3 and 4 are 1e-5 apart in float64: an engine error of 1e-5 may swap them.
        float[] swapped = {0, 5, 4, 2.99999f, 3.00001f, 1, 0.5f};
        TopK ok = TopK.compare(0, swapped, ref, 5, 1e-5);
        assertTrue(ok.passed(), ok.toString());
        assertEquals(2, ok.swaps());
        TopK tooClose = TopK.compare(0, swapped, ref, 5, 1e-7);
        assertFalse(tooClose.passed(), tooClose.toString());
        assertEquals(2, tooClose.firstBadRank(), "classes 3 and 4 are ranks 2 and 3");
        // A class from outside the top-5 taking a place is a failure when its logit is far below.
        float[] wrong = {0, 5, 4, 3, 2.99999f, 1, 3.5f};
        assertFalse(TopK.compare(0, wrong, ref, 5, 1e-5).passed());
    }
}

package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.util.Random;

/** Shared test helpers: random tensors (optionally channel slices of wider ones) and the tolerance check. */
final class KernelAssertions {
    /**
     * |vector - reference| <= ABS + REL * |reference|. The reference sums in double, the kernels in float
     * with FMA in another order. Test data keep every partial sum O(1) (inputs in [-1, 1], weights scaled by
     * 1/sqrt(fan-in)), so one float rounding is <= 6e-8 and a sum of up to ~1000 terms drifts ~1e-6
     * typically, 3e-5 at worst (linear growth): ABS covers that; REL covers the few larger outputs.
     * A packing or indexing bug produces errors of order 0.1 to 1.
     */
    static final double ABS = 3e-5;
    static final double REL = 1e-5;

    private KernelAssertions() {}

    /**
     * Compares every element (n, h, w, c), including channels outside the view when both are slices of
     * equally shaped wider tensors (callers pass the wide parents to check nothing else was written).
     */
    static void assertClose(String kernel, String family, Tensor expected, Tensor actual) {
        if (!expected.sameShape(actual)) {
            fail(kernel + " [" + family + "]: shape " + actual + ", expected " + expected);
        }
        for (int n = 0; n < expected.batch(); n++) {
            for (int h = 0; h < expected.height(); h++) {
                for (int w = 0; w < expected.width(); w++) {
                    for (int c = 0; c < expected.channels(); c++) {
                        float e = expected.get(n, h, w, c);
                        float a = actual.get(n, h, w, c);
                        boolean same = Float.isNaN(e) ? Float.isNaN(a) : Math.abs(a - e) <= ABS + REL * Math.abs(e);
                        if (!same) {
                            fail(kernel + " [" + family + "]: first mismatch at (n=" + n + ", h=" + h + ", w=" + w
                                    + ", c=" + c + "): got " + a + ", reference " + e + " (|diff| "
                                    + Math.abs(a - e) + " > " + ABS + " + " + REL + "*|ref|)");
                        }
                    }
                }
            }
        }
    }

    static float[] uniform(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    /**
     * A tensor of random values in [-1, 1]; when {@code strided}, a channel slice starting at channel 3 of a
     * tensor 5 channels wider (whose other channels hold random values too).
     */
    static Tensor random(Arena arena, Random random, int n, int h, int w, int c, boolean strided) {
        Tensor parent = wide(arena, random, n, h, w, c, strided);
        return strided ? parent.channelSlice(3, c) : parent;
    }

    /** The wide parent {@link #random} slices (or the tensor itself). */
    static Tensor wide(Arena arena, Random random, int n, int h, int w, int c, boolean strided) {
        int width = strided ? c + 5 : c;
        Tensor t = Tensor.allocate(arena, n, h, w, width);
        t.copyFrom(uniform(random, n * h * w * width, 1));
        return t;
    }

    /** A copy with the same stride layout (so that a slice's neighbours are copied as well). */
    static Tensor copyWide(Arena arena, Tensor wide) {
        Tensor t = Tensor.allocate(arena, wide.batch(), wide.height(), wide.width(), wide.channels());
        t.copyFrom(wide);
        return t;
    }
}

package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.util.Random;

/** Test helpers: build tensors from literal arrays and compare tensors naming the first bad (n, h, w, c). */
final class TensorAssertions {
    /** Hand-computed values are small integers or binary fractions, exact in float; this only absorbs rounding. */
    static final double EXACT_ABS = 1e-6;
    static final double EXACT_REL = 1e-6;

    private TensorAssertions() {}

    /** A dense tensor holding {@code values} in NHWC order. */
    static Tensor tensor(Arena arena, int n, int h, int w, int c, float... values) {
        Tensor t = Tensor.allocate(arena, n, h, w, c);
        t.copyFrom(values);
        return t;
    }

    static float[] randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    static Tensor randomTensor(Arena arena, Random random, int n, int h, int w, int c, int channelStride) {
        Tensor t = Tensor.allocate(arena, n, h, w, c, channelStride);
        t.copyFrom(randomFloats(random, n * h * w * c));
        return t;
    }

    /** Compares every element of {@code actual} with {@code expected} (dense NHWC) within abs + rel * |expected|. */
    static void assertTensor(float[] expected, Tensor actual, double abs, double rel) {
        assertEquals(expected.length, actual.elementCount(), "element count of " + actual);
        int i = 0;
        for (int n = 0; n < actual.batch(); n++) {
            for (int h = 0; h < actual.height(); h++) {
                for (int w = 0; w < actual.width(); w++) {
                    for (int c = 0; c < actual.channels(); c++, i++) {
                        float a = actual.get(n, h, w, c);
                        float e = expected[i];
                        if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
                            fail("first mismatch at (n=" + n + ", h=" + h + ", w=" + w + ", c=" + c + "): expected " + e
                                    + ", got " + a + " (tolerance " + abs + " abs + " + rel + " rel)");
                        }
                    }
                }
            }
        }
    }

    static void assertTensor(float[] expected, Tensor actual) {
        assertTensor(expected, actual, EXACT_ABS, EXACT_REL);
    }

    static void assertTensor(Tensor expected, Tensor actual, double abs, double rel) {
        if (!expected.sameShape(actual)) {
            fail("shape " + actual + " differs from expected " + expected);
        }
        assertTensor(expected.toArray(), actual, abs, rel);
    }
}

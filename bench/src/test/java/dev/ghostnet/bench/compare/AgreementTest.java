package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgreementTest {
    @Test
    void maxDifferenceAndTop1PerImage() {
        float[] reference = {0, 1, 5, /* image 2 */ 3, 0, 0};
        float[] other = {0, 1.5f, 4.75f, /* image 2 */ 0, 4, 0};
        Agreement a = Agreement.of(reference, other, 2);
        assertEquals(4.0, a.maxAbsDiff(), 1e-9);
        assertEquals(1, a.top1Same());
        assertEquals(2, a.images());
    }

    @Test
    void nanIsTheWorstDifference() {
        Agreement a = Agreement.of(new float[] {1, 2}, new float[] {Float.NaN, 2}, 1);
        assertEquals(Double.POSITIVE_INFINITY, a.maxAbsDiff());
    }

    @Test
    void shapesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new float[4], new float[6], 2));
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new float[5], new float[5], 2));
    }

    @Test
    void argmaxTakesTheFirstOfEqualMaxima() {
        assertEquals(1, Agreement.argmax(new float[] {9, 0, 3, 3}, 1, 3));
    }
}

package dev.ghostnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Softmax and top-k on hand-made logits, where the answer is known. */
class PredictionsTest {

    @Test
    void softmaxOfKnownLogits() {
        float[] logits = {0f, (float) Math.log(3), (float) Math.log(6)};
        List<Prediction> top = Predictions.top(logits, 0, 3, 3, i -> "c" + i, "test");
        assertEquals(List.of(2, 1, 0), top.stream().map(Prediction::index).toList());
        assertEquals(0.6f, top.get(0).probability(), 1e-6f);
        assertEquals(0.3f, top.get(1).probability(), 1e-6f);
        assertEquals(0.1f, top.get(2).probability(), 1e-6f);
        assertEquals("c2", top.get(0).label());
    }

    @Test
    void hugeLogitsStayFinite() {
        // Untrained models produce logits of order 1e6: exp() of them overflows without the max shift.
        float[] logits = {1.0e6f, 1.0e6f - 1f, -2.0e6f};
        List<Prediction> top = Predictions.top(logits, 0, 3, 3, i -> "c" + i, "test");
        double e = Math.exp(-1);
        assertEquals((float) (1 / (1 + e)), top.get(0).probability(), 1e-6f);
        assertEquals((float) (e / (1 + e)), top.get(1).probability(), 1e-6f);
        assertEquals(0f, top.get(2).probability());
    }

    @Test
    void tiesKeepIndexOrderAndKIsCapped() {
        float[] logits = {5, 1, 5, 1, 7};
        List<Prediction> top = Predictions.top(logits, 0, 5, 99, i -> "c" + i, "test");
        assertEquals(List.of(4, 0, 2, 1, 3), top.stream().map(Prediction::index).toList());
    }

    @Test
    void readsTheImageAtTheOffset() {
        float[] logits = {9, 0, 0, /* image 1: */ 0, 0, 9};
        assertEquals(2, Predictions.top(logits, 3, 3, 1, i -> "c" + i, "test").getFirst().index());
    }

    @Test
    void nonFiniteLogitsAreAnErrorNamingTheSource() {
        float[] logits = {0, Float.NaN, 1};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Predictions.top(logits, 0, 3, 2, i -> "c" + i, "cat.png"));
        assertTrue(e.getMessage().contains("cat.png") && e.getMessage().contains("logit 1"), e.getMessage());
    }
}

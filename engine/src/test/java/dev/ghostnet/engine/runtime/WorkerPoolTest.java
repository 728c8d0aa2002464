package dev.ghostnet.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every piece of every dispatch runs exactly once, whoever claims it, across spins, parks and failures. */
class WorkerPoolTest {
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4})
    void everyPieceRunsExactlyOncePerDispatch(int threads) throws Exception {
        int dispatches = 20_000;
        AtomicIntegerArray counts = new AtomicIntegerArray(threads);
        try (WorkerPool pool = new WorkerPool(threads, "test-worker")) {
            for (int d = 0; d < dispatches; d++) {
                if (d % 5_000 == 4_999) {
                    Thread.sleep(3 * WorkerPool.SPIN_NANOS / 1_000_000); // let the workers park
                }
                pool.run((part, parts) -> {
                    assertEquals(threads, parts);
                    counts.incrementAndGet(part);
                });
                for (int p = 0; p < threads; p++) {
                    assertEquals(d + 1, counts.get(p), "piece " + p + " after dispatch " + d);
                }
            }
        }
    }

    @Test
    void aFailingPieceIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2, "test-worker")) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            for (int failing = 0; failing < 2; failing++) {
                int f = failing;
                IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> pool.run((part, parts) -> {
                    if (part == f) throw boom;
                }));
                assertSame(boom, thrown);
            }
            AtomicIntegerArray counts = new AtomicIntegerArray(2);
            pool.run((part, parts) -> counts.incrementAndGet(part));
            assertEquals(1, counts.get(0));
            assertEquals(1, counts.get(1));
        }
    }

    @Test
    void runAfterCloseFails() {
        WorkerPool pool = new WorkerPool(2, "test-worker");
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.run((part, parts) -> {}));
    }
}

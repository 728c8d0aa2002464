package dev.ghostnet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model shared by 8 threads through its own thread-safe calls gives, bit for bit, what one thread
 * computes; a session called from a second thread while it runs refuses at once instead of computing
 * garbage or hanging. Small model at 32x32 so that the scalar kernels keep it to seconds.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40;
    private static final int INPUTS = 8;

    private static GhostNet model;
    private static float[][] inputs;
    private static float[][] expected;

    @BeforeAll
    static void singleThreadedReference() {
        model = GhostNet.seeded(0.5, 10, 11, new PoolConfig(3, TestInputs.small(1, 1)));
        inputs = new float[INPUTS][];
        expected = new float[INPUTS][];
        try (GhostNetSession session = model.newSession(TestInputs.small(1, 1))) {
            for (int i = 0; i < INPUTS; i++) {
                inputs[i] = TestInputs.nchw(1, 100 + i);
                expected[i] = session.logits(inputs[i]);
            }
        }
        for (int i = 1; i < INPUTS; i++) {
            assertFalse(Arrays.equals(expected[0], expected[i]), "inputs 0 and " + i + " give the same logits");
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eightThreadsSharingTheModelGetBitIdenticalResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    float[] out = new float[10];
                    for (int call = 0; call < CALLS_PER_THREAD; call++) {
                        int i = (thread * 3 + call) % INPUTS;
                        float[] logits = call % 2 == 0 ? model.logits(inputs[i]) : into(out, i);
                        assertArrayEquals(expected[i], logits, "thread " + thread + ", call " + call + ", input " + i);
                        assertEquals(model.classify(ImageTensor.nchw(inputs[i]), 3).getFirst(),
                                classifyAlone(i), "classification of input " + i);
                    }
                    return CALLS_PER_THREAD;
                }));
            }
            start.countDown();
            int calls = 0;
            for (Future<Integer> w : workers) {
                calls += w.get(4, TimeUnit.MINUTES);
            }
            assertEquals(THREADS * CALLS_PER_THREAD, calls);
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] into(float[] out, int input) {
        assertEquals(1, model.logits(inputs[input], out));
        return out.clone();
    }

    private static Classification classifyAlone(int input) {
        float[] logits = expected[input];
        return new Classification("input 0", Predictions.top(logits, 0, 10, 3, model::label, "input 0"));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSessionCalledFromASecondThreadWhileItRunsThrows() throws Exception {
        byte[] png = Files.readAllBytes(TestInputs.chelsea());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The first thread's call blocks inside the session, reading this stream, until released.
        InputStream slow = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position == 0) {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return position < png.length ? png[position++] & 0xFF : -1;
            }
        };
        ExecutorService first = Executors.newSingleThreadExecutor();
        try (GhostNetSession session = model.newSession(TestInputs.small(1, 1))) {
            Future<Classification> running = first.submit(() -> session.classify(slow, 3));
            assertTrue(inside.await(1, TimeUnit.MINUTES), "the first call did not start");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.logits(inputs[0]));
            assertTrue(e.getMessage().contains("one call at a time"), e.getMessage());
            assertTrue(e.getMessage().contains("in use by thread"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> session.classify(TestInputs.chelsea(), 1));
            release.countDown();
            Classification fromStream = running.get(1, TimeUnit.MINUTES);
            assertEquals("image stream", fromStream.source());
            assertEquals(session.classify(TestInputs.chelsea(), 3).top(), fromStream.top(),
                    "the first call's result is intact");
            assertArrayEquals(expected[0], session.logits(inputs[0]), "free again once the first call returned");
        } finally {
            first.shutdownNow();
        }
    }
}

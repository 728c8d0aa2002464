package dev.ghostnet.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One model shared by more threads than there are cores, each thread with its own session: every output
 * is bit-identical to what a single thread computes for the same input, sessions coming and going do
 * not disturb the others, and closed sessions and models fail with IllegalStateException. Small on
 * purpose (width 0.5, 32x32) so the scalar kernels keep it to seconds; runs with whatever family
 * {@link KernelProvider#get()} picks.
 */
class ConcurrentSessionsTest {
    static final GhostNetConfig CONFIG = new GhostNetConfig(0.5, 10);
    static final int SIZE = 32;
    static final int THREADS = 8;
    static final int RUNS_PER_THREAD = 300;
    static final int INPUTS = 16;

    static GhostNetModel model;
    static float[][] inputs;
    /** Logits of each input, computed on one thread before any concurrency. */
    static int[][] expectedBits;

    @BeforeAll
    static void singleThreadedReference() {
        model = GhostNetModel.seeded(CONFIG, 7, KernelProvider.get());
        inputs = new float[INPUTS][];
        expectedBits = new int[INPUTS][];
        SplittableRandom random = new SplittableRandom(3);
        try (InferenceSession session = new InferenceSession(model, options())) {
            for (int i = 0; i < INPUTS; i++) {
                inputs[i] = new float[SIZE * SIZE * 3];
                for (int k = 0; k < inputs[i].length; k++) inputs[i][k] = (float) (random.nextDouble() * 4 - 2);
                expectedBits[i] = run(session, inputs[i]);
            }
        }
        for (int i = 1; i < INPUTS; i++) {
            assertTrue(!java.util.Arrays.equals(expectedBits[0], expectedBits[i]), "inputs 0 and " + i + " give the same logits");
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    static SessionOptions options() {
        return new SessionOptions(1, SIZE, SIZE, 1);
    }

    static int[] run(InferenceSession session, float[] input) {
        session.input().copyFrom(input);
        float[] logits = session.run().toArray();
        int[] bits = new int[logits.length];
        for (int i = 0; i < logits.length; i++) bits[i] = Float.floatToRawIntBits(logits[i]);
        return bits;
    }

    @Test
    void sharedModelGivesBitIdenticalOutputsWhileSessionsComeAndGo() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean workersDone = new AtomicBoolean();
        AtomicInteger churned = new AtomicInteger();
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    try (InferenceSession session = new InferenceSession(model, options())) {
                        for (int r = 0; r < RUNS_PER_THREAD; r++) {
                            int i = (thread * 7 + r) % INPUTS;
                            assertArrayEquals(expectedBits[i], run(session, inputs[i]),
                                    "thread " + thread + " run " + r + " input " + i);
                        }
                    }
                    return RUNS_PER_THREAD;
                }));
            }
            // A ninth thread opens, uses and closes sessions over and over while the workers run.
            Future<?> churn = pool.submit((Callable<Void>) () -> {
                start.await();
                while (!workersDone.get()) {
                    InferenceSession s = new InferenceSession(model, options());
                    int i = churned.get() % INPUTS;
                    assertArrayEquals(expectedBits[i], run(s, inputs[i]), "churning session");
                    s.close();
                    assertThrows(IllegalStateException.class, s::run);
                    churned.incrementAndGet();
                }
                return null;
            });
            start.countDown();
            int total = 0;
            for (Future<Integer> w : workers) total += w.get(120, TimeUnit.SECONDS);
            workersDone.set(true);
            churn.get(60, TimeUnit.SECONDS);
            assertEquals(THREADS * RUNS_PER_THREAD, total);
            assertTrue(churned.get() > 0, "the churning thread never completed a session");
            System.out.printf("concurrency: %d threads x %d inferences (+%d churned sessions), all bit-identical%n",
                    THREADS, RUNS_PER_THREAD, churned.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondThreadEnteringARunningSessionIsRefused() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try (InferenceSession session = new InferenceSession(model, new SessionOptions(1, SIZE, SIZE, 2))) {
            session.input().copyFrom(inputs[0]);
            // The first run parks in its observer after the stem, holding the session.
            Future<?> running = first.submit(() -> session.run((stage, output) -> {
                if (stage.equals("stem")) {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
            assertTrue(inside.await(1, TimeUnit.MINUTES), "the first run did not start");
            IllegalStateException e = assertThrows(IllegalStateException.class, session::run);
            assertTrue(e.getMessage().contains("one call at a time"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> session.runStep(0));
            release.countDown();
            running.get(1, TimeUnit.MINUTES);
            int[] bits = run(session, inputs[0]);
            assertTrue(java.util.Arrays.equals(expectedBits[0], bits), "the session works again, and correctly");
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void closedSessionRefusesEveryUse() {
        InferenceSession session = new InferenceSession(model, options());
        session.close();
        session.close();
        assertThrows(IllegalStateException.class, session::run);
        assertThrows(IllegalStateException.class, session::input);
        assertThrows(IllegalStateException.class, session::logits);
        assertThrows(IllegalStateException.class, session::features);
        assertThrows(IllegalStateException.class, () -> session.run((stage, output) -> { }));
        assertThrows(IllegalStateException.class, () -> session.runStep(0));
    }

    @Test
    void closingTheModelMakesLaterRunsFailCleanly() {
        GhostNetModel own = GhostNetModel.seeded(CONFIG, 7, KernelProvider.get());
        InferenceSession session = new InferenceSession(own, options());
        assertArrayEquals(expectedBits[0], run(session, inputs[0]));
        own.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(session, inputs[1]));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new InferenceSession(own, options()));
        session.close();
    }

    /**
     * Closing the model while threads are mid-run: each run either completes with the right bits or
     * fails with IllegalStateException; nothing else, and the JVM survives.
     */
    @Test
    void closingTheModelUnderLoadOnlyEverYieldsCorrectResultsOrIllegalState() throws Exception {
        GhostNetModel own = GhostNetModel.seeded(CONFIG, 7, KernelProvider.get());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    try (InferenceSession session = new InferenceSession(own, options())) {
                        running.countDown();
                        for (int r = 0; ; r++) {
                            int i = r % INPUTS;
                            int[] bits;
                            try {
                                bits = run(session, inputs[i]);
                            } catch (IllegalStateException closed) {
                                refused.incrementAndGet();
                                return null;
                            }
                            assertArrayEquals(expectedBits[i], bits, "run " + r + " before the model closed");
                            completed.incrementAndGet();
                        }
                    }
                }));
            }
            running.await();
            // Close while runs are in flight: wait (bounded) for the first completed run rather than a fixed
            // sleep, which on a loaded machine could end before any run did.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completed.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            own.close();
            for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
            assertEquals(4, refused.get(), "every thread must end with IllegalStateException");
            assertTrue(completed.get() > 0, "no run completed before the close");
        } finally {
            pool.shutdownNow();
        }
    }
}

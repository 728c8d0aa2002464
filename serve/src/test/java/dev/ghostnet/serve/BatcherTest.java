package dev.ghostnet.serve;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batcher with a runner the test holds back, so that batches, the queue bound and deadlines are exact. */
class BatcherTest {
    private static final int FLOATS = 2;
    private static final int CLASSES = 3;
    private static final long LONG = TimeUnit.SECONDS.toNanos(60);

    private final TestServers.HeldRunner runner = new TestServers.HeldRunner(FLOATS, CLASSES);
    private Batcher batcher;

    private Batcher start(int maxBatch, int maxDelayMs, int queue) {
        ServerConfig config = TestServers.config().withBatching(maxBatch, maxDelayMs, queue);
        batcher = new Batcher(config, () -> runner, FLOATS, CLASSES, new ServeMetrics(maxBatch));
        return batcher;
    }

    @AfterEach
    void stop() throws InterruptedException {
        runner.gate.release(1000);
        batcher.shutdown(5000);
    }

    private CompletableFuture<Inference> submit(float marker, int images, long deadlineNanos) throws ApiException {
        batcher.admit();
        return submitAdmitted(marker, images, deadlineNanos);
    }

    private CompletableFuture<Inference> submitAdmitted(float marker, int images, long deadlineNanos) {
        float[] input = new float[images * FLOATS];
        for (int i = 0; i < images; i++) {
            input[i * FLOATS] = marker + i;
        }
        return batcher.submit(input, System.nanoTime() + deadlineNanos);
    }

    @Test
    void fillsABatchAndHandsEachRequestItsOwnLogits() throws Exception {
        start(4, 60_000, 16);
        for (int r = 0; r < 4; r++) {
            batcher.admit(); // four requests admitted (being decoded): the worker waits for all of them
        }
        List<CompletableFuture<Inference>> results = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            results.add(submitAdmitted(100 * r, 1, LONG));
        }
        // Full at 4 images: the batch runs at once instead of waiting out the 60 s window.
        assertTrue(runner.started.tryAcquire(10, TimeUnit.SECONDS), "a full batch must run without waiting");
        runner.gate.release();
        for (int r = 0; r < 4; r++) {
            Inference inference = results.get(r).get(10, TimeUnit.SECONDS);
            assertEquals(4, inference.batchImages());
            assertEquals(100 * r, inference.logits()[0]);
            assertEquals(100 * r + 2, inference.logits()[2]);
            assertEquals(CLASSES, inference.logits().length);
        }
    }

    @Test
    void aPartialBatchRunsWhenTheDelayEnds() throws Exception {
        start(8, 300, 16);
        batcher.admit(); // another request is admitted but never submitted: the batch waits for it in vain
        runner.gate.release();
        long start = System.nanoTime();
        Inference inference = submit(7, 1, LONG).get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "the batch waits out its window");
        assertEquals(1, inference.batchImages());
        assertEquals(7, inference.logits()[0]);
        batcher.release();
    }

    @Test
    void aLoneRequestRunsWithoutWaitingForTheWindow() throws Exception {
        start(8, 60_000, 16);
        runner.gate.release();
        Inference inference = submit(5, 1, LONG).get(10, TimeUnit.SECONDS);
        assertEquals(1, inference.batchImages());
        assertEquals(5, inference.logits()[0]);
    }

    @Test
    void requestsOfSeveralImagesNeverOverfillABatch() throws Exception {
        start(4, 300, 16);
        CompletableFuture<Inference> first = submit(10, 3, LONG);
        CompletableFuture<Inference> second = submit(20, 3, LONG);
        runner.gate.release(2);
        Inference a = first.get(10, TimeUnit.SECONDS);
        Inference b = second.get(10, TimeUnit.SECONDS);
        assertEquals(3, a.batchImages());
        assertEquals(3, b.batchImages());
        assertEquals(3 * CLASSES, b.logits().length);
        assertEquals(22, b.logits()[2 * CLASSES]);
    }

    @Test
    void aFullQueueRefusesWith503AndRetryAfter() throws Exception {
        start(1, 0, 2);
        CompletableFuture<Inference> running = submit(1, 1, LONG);
        assertTrue(runner.started.tryAcquire(10, TimeUnit.SECONDS));
        CompletableFuture<Inference> queued1 = submit(2, 1, LONG);
        CompletableFuture<Inference> queued2 = submit(3, 1, LONG);
        ApiException refused = assertThrows(ApiException.class, batcher::admit);
        assertEquals(503, refused.status());
        assertEquals("1", refused.retryAfterSeconds());
        runner.gate.release(3);
        assertEquals(1, running.get(10, TimeUnit.SECONDS).logits()[0]);
        assertEquals(2, queued1.get(10, TimeUnit.SECONDS).logits()[0]);
        assertEquals(3, queued2.get(10, TimeUnit.SECONDS).logits()[0]);
        batcher.admit(); // room again
        batcher.release();
    }

    @Test
    void aRequestPastItsDeadlineFailsWith504AndIsNotRun() throws Exception {
        start(1, 0, 1);
        CompletableFuture<Inference> running = submit(1, 1, LONG);
        assertTrue(runner.started.tryAcquire(10, TimeUnit.SECONDS));
        CompletableFuture<Inference> late = submit(2, 1, TimeUnit.MILLISECONDS.toNanos(100));
        assertThrows(ApiException.class, batcher::admit, "the one place is taken");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
        ApiException cause = Replies.clientError(failure);
        assertEquals(504, cause.status());
        batcher.admit(); // the late request gave its place back when it was answered
        batcher.release();
        runner.gate.release(2);
        running.get(10, TimeUnit.SECONDS);
        CompletableFuture<Inference> next = submit(3, 1, LONG);
        assertEquals(3, next.get(10, TimeUnit.SECONDS).logits()[0]);
        assertTrue(runner.started.tryAcquire(10, TimeUnit.SECONDS));
        assertFalse(runner.started.tryAcquire(200, TimeUnit.MILLISECONDS), "the late request must not have run");
    }

    @Test
    void shutdownRefusesNewRequestsAndFinishesQueuedOnes() throws Exception {
        start(1, 0, 4);
        CompletableFuture<Inference> running = submit(1, 1, LONG);
        assertTrue(runner.started.tryAcquire(10, TimeUnit.SECONDS));
        CompletableFuture<Inference> queued = submit(2, 1, LONG);
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                batcher.shutdown(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (!stopper.isAlive()) {
            Thread.onSpinWait();
        }
        Thread.sleep(50);
        ApiException refused = assertThrows(ApiException.class, batcher::admit);
        assertEquals(503, refused.status());
        runner.gate.release(2);
        assertEquals(1, running.get(10, TimeUnit.SECONDS).logits()[0]);
        assertEquals(2, queued.get(10, TimeUnit.SECONDS).logits()[0]);
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "shutdown must return once the queue is empty");
    }
}

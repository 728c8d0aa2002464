package dev.ghostnet.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Dynamic batching: requests from many HTTP threads wait in one bounded queue; each worker thread owns a
 * session and takes up to {@code maxBatch} images at a time. While other requests are admitted (their
 * images still being decoded), it waits for them until the oldest request in the batch has waited
 * {@code maxDelayMs}; with none admitted it runs at once, so a lone request pays no batching delay.
 *
 * <p>Admission is separate from submission so that a request is refused (503) before its body is decoded:
 * {@link #admit()} reserves a place, {@link #submit} fills it or {@link #release()} gives it back. Places
 * count requests admitted and not yet taken into a batch, so the memory held by waiting requests is bounded
 * by {@code queueCapacity} requests of bounded size.
 *
 * <p>A request that has already been answered (its deadline passed) when a worker reaches it is dropped
 * without running.
 */
final class Batcher implements AutoCloseable {
    private final ServerConfig config;
    private final ServeMetrics metrics;
    private final int imageFloats;
    private final int classes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    /** Requests admitted and not yet in a batch: the queue plus those still being decoded. */
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private final List<BatchRunner> runners = new ArrayList<>();
    /** Set first on shutdown: no new requests, while the workers still run those admitted. */
    private volatile boolean refusing;
    /** Set last: the workers stop once the queue is empty. */
    private volatile boolean closing;

    /**
     * Starts {@code config.workers()} workers, each with a runner from {@code runners} (called on this thread).
     *
     * @param imageFloats floats of one input image
     * @param classes     logits per image
     */
    Batcher(ServerConfig config, Supplier<BatchRunner> runners, int imageFloats, int classes, ServeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.imageFloats = imageFloats;
        this.classes = classes;
        metrics.queueDepth(pending);
        for (int w = 0; w < config.workers(); w++) {
            BatchRunner runner = runners.get();
            this.runners.add(runner);
            Thread worker = new Thread(() -> work(runner), "ghostnet-serve-worker-" + w);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Reserves a place for one request.
     *
     * @throws ApiException 503 with Retry-After when the queue is full or the server is shutting down
     */
    void admit() throws ApiException {
        if (refusing) {
            throw ApiException.unavailable("the server is shutting down", 1);
        }
        if (pending.incrementAndGet() > config.queueCapacity()) {
            pending.decrementAndGet();
            throw ApiException.unavailable("the server is at capacity (" + config.queueCapacity()
                    + " requests queued): retry later", 1);
        }
    }

    /** Gives back a place reserved by {@link #admit()} for a request that will not be submitted. */
    void release() {
        pending.decrementAndGet();
    }

    /**
     * Queues {@code images} dense NCHW images for an admitted request. The future fails with an
     * {@link ApiException} (504) if the request is not done by {@code deadlineNanos} ({@link System#nanoTime}).
     */
    CompletableFuture<Inference> submit(float[] nchw, long deadlineNanos) {
        if (nchw.length == 0 || nchw.length % imageFloats != 0) {
            throw new IllegalArgumentException("input of " + nchw.length + " floats is not whole images of "
                    + imageFloats);
        }
        Job job = new Job(nchw, nchw.length / imageFloats, System.nanoTime());
        long timeout = Math.max(0, deadlineNanos - job.submittedNanos);
        job.result.completeOnTimeout(null, timeout, TimeUnit.NANOSECONDS);
        lock.lock();
        try {
            queue.addLast(job);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        // A request answered 504 leaves the queue at once: its client may retry, and a place held by an
        // abandoned request would refuse a live one. Withdrawn before the caller sees the answer, so a
        // retry after the 504 finds its place free.
        return job.result.whenComplete((inference, failure) -> withdraw(job)).thenCompose(inference -> inference != null ? CompletableFuture.completedFuture(inference)
                : CompletableFuture.failedFuture(ApiException.deadline("no result within the deadline of "
                        + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms")));
    }

    private void withdraw(Job job) {
        lock.lock();
        try {
            if (queue.removeFirstOccurrence(job)) {
                pending.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    private void work(BatchRunner runner) {
        try {
            for (List<Job> batch = nextBatch(); batch != null; batch = nextBatch()) {
                run(runner, batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch, or null when closing and nothing is left. */
    private List<Job> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            List<Job> batch = new ArrayList<>();
            int images = 0;
            long windowEnd = 0;
            while (true) {
                while (!queue.isEmpty() && (images == 0 || images + queue.peekFirst().images <= config.maxBatch())) {
                    Job job = queue.pollFirst();
                    pending.decrementAndGet();
                    if (job.result.isDone()) {
                        continue; // answered already: its deadline passed while it waited
                    }
                    if (batch.isEmpty()) {
                        // The window opens when the oldest request arrived: one that waited for a busy
                        // worker has used up part of its delay already.
                        windowEnd = job.submittedNanos + TimeUnit.MILLISECONDS.toNanos(config.maxDelayMs());
                    }
                    batch.add(job);
                    images += job.images;
                }
                boolean full = images >= config.maxBatch() || !queue.isEmpty();
                if (batch.isEmpty()) {
                    if (closing) {
                        return null;
                    }
                    arrived.await();
                } else if (full || closing || pending.get() == 0) {
                    // Nothing else is admitted, so nothing is on its way: waiting would only add latency.
                    return batch;
                } else {
                    long left = windowEnd - System.nanoTime();
                    if (left <= 0) {
                        return batch;
                    }
                    arrived.awaitNanos(left);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(BatchRunner runner, List<Job> batch) {
        long start = System.nanoTime();
        int images = 0;
        for (Job job : batch) {
            images += job.images;
        }
        try {
            float[] logits = runner.logits(concatenate(batch, images));
            long inference = System.nanoTime() - start;
            metrics.batch(images, inference);
            int offset = 0;
            for (Job job : batch) {
                float[] own = new float[job.images * classes];
                System.arraycopy(logits, offset, own, 0, own.length);
                offset += own.length;
                job.result.complete(new Inference(own, images, start - job.submittedNanos, inference));
            }
        } catch (RuntimeException | Error e) {
            for (Job job : batch) {
                job.result.completeExceptionally(e);
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    private float[] concatenate(List<Job> batch, int images) {
        if (batch.size() == 1) {
            return batch.getFirst().nchw;
        }
        float[] all = new float[images * imageFloats];
        int offset = 0;
        for (Job job : batch) {
            System.arraycopy(job.nchw, 0, all, offset, job.nchw.length);
            offset += job.nchw.length;
        }
        return all;
    }

    /** From now on {@link #admit()} refuses; requests already admitted still run. */
    void refuseNew() {
        refusing = true;
    }

    /**
     * Refuses new requests, lets the workers run what is queued, waits up to {@code waitMs} for them, and
     * frees the sessions of the workers that stopped.
     */
    void shutdown(long waitMs) throws InterruptedException {
        refusing = true;
        closing = true;
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        for (int w = 0; w < workers.size(); w++) {
            workers.get(w).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (!workers.get(w).isAlive()) {
                runners.get(w).close();
            }
        }
    }

    @Override
    public void close() {
        try {
            shutdown(config.drainMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request's images on their way to a worker. */
    private static final class Job {
        final float[] nchw;
        final int images;
        final long submittedNanos;
        final CompletableFuture<Inference> result = new CompletableFuture<>();

        Job(float[] nchw, int images, long submittedNanos) {
            this.nchw = nchw;
            this.images = images;
            this.submittedNanos = submittedNanos;
        }
    }
}

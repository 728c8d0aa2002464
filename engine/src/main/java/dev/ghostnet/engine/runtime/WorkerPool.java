package dev.ghostnet.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads kept alive across layers and images, so handing a layer to them costs
 * a wake-up rather than a thread start. {@link #run} splits a task into {@code parts} pieces: the caller
 * runs piece 0, worker i runs piece i + 1, and {@code run} returns when all are done.
 *
 * <p>Threads spin briefly before parking: layers follow each other within microseconds, and a parked
 * thread takes tens of microseconds to wake. One caller at a time (the owning session); not reentrant.
 * Nothing is allocated per dispatch.
 */
final class WorkerPool implements AutoCloseable {
    /** A piece of work split into {@code parts} pieces; must be safe to run pieces concurrently. */
    interface Task {
        void run(int part, int parts);
    }

    private static final long SPIN_NANOS = 50_000;

    private final int parts;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    WorkerPool(int parts, String name) {
        if (parts < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + parts);
        }
        this.parts = parts;
        this.workers = new Thread[parts - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name(name + "-" + part).start(() -> workLoop(part));
        }
    }

    int parts() {
        return parts;
    }

    /** Runs {@code t.run(p, parts)} for every p, the calling thread taking p = 0. Rethrows a worker's failure. */
    void run(Task t) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (parts == 1) {
            t.run(0, 1);
            return;
        }
        failure = null;
        task = t;
        caller = Thread.currentThread();
        pending.set(parts - 1);
        epoch = epoch + 1; // volatile write publishes task, caller and pending to the workers
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            t.run(0, parts);
        } catch (Throwable e) {
            own = e;
        }
        awaitWorkers();
        task = null;
        Throwable workerFailure = failure;
        if (own != null) {
            throwUnchecked(own);
        }
        if (workerFailure != null) {
            throwUnchecked(workerFailure);
        }
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void workLoop(int part) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (epoch == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = epoch;
            try {
                task.run(part, parts);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private static void throwUnchecked(Throwable e) {
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        throw new IllegalStateException(e);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

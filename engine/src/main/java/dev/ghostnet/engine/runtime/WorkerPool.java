package dev.ghostnet.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads kept alive across layers and images, so handing a layer to them costs
 * a few hundred nanoseconds rather than a thread start. {@link #run} splits a task into {@code parts} pieces
 * and returns when all are done.
 *
 * <p>Pieces are claimed, not assigned: the caller and the workers take the next unclaimed piece from one
 * counter until none is left. A worker that is slow to wake (parked, or descheduled on a busy machine) thus
 * never holds up a layer: the caller runs its piece too, and the late worker finds nothing left. Waiting
 * on a thread's wake-up was what made the tail latency at two threads about three times the median.
 *
 * <p>Threads spin for {@value #SPIN_NANOS} ns before parking: long enough to span the serial stretches
 * inside one inference (the head's linear layers run on the caller alone for a few hundred microseconds),
 * so the workers only park between inferences. A thread is woken only when it has parked. One caller at a
 * time (the owning session); not reentrant. Nothing is allocated per dispatch.
 */
final class WorkerPool implements AutoCloseable {
    /** A piece of work split into {@code parts} pieces; must be safe to run pieces concurrently. */
    interface Task {
        void run(int part, int parts);
    }

    static final long SPIN_NANOS = 1_000_000;

    private final int parts;
    private final Thread[] workers;
    /** The current dispatch's epoch (high 32 bits) and its next unclaimed piece (low 32 bits). */
    private final AtomicLong claims = new AtomicLong();
    /** Pieces of the current dispatch finished (or failed). */
    private final AtomicInteger done = new AtomicInteger();
    /** 1 while worker i is parked or about to park, so the caller knows to unpark it. */
    private final AtomicIntegerArray sleeping;
    private volatile boolean callerSleeping;
    private volatile Task task;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    private long epoch;

    WorkerPool(int parts, String name) {
        if (parts < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + parts);
        }
        this.parts = parts;
        this.workers = new Thread[parts - 1];
        this.sleeping = new AtomicIntegerArray(Math.max(1, parts - 1));
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().daemon().name(name + "-" + (i + 1)).start(() -> workLoop(index));
        }
    }

    int parts() {
        return parts;
    }

    /** Runs {@code t.run(p, parts)} for every p, the calling thread among the runners. Rethrows a failure. */
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
        done.set(0);
        epoch = (epoch + 1) & 0xFFFF_FFFFL;
        claims.set(epoch << 32); // volatile write publishes task, caller and done to the workers
        for (int i = 0; i < workers.length; i++) {
            if (sleeping.get(i) == 1) {
                LockSupport.unpark(workers[i]);
            }
        }
        runClaims(epoch);
        awaitDone();
        task = null;
        Throwable e = failure;
        if (e != null) {
            throwUnchecked(e);
        }
    }

    /** Runs unclaimed pieces of dispatch {@code e} until none is left (or a newer dispatch began). */
    private void runClaims(long e) {
        while (true) {
            long v = claims.get();
            int part = (int) v;
            if (v >>> 32 != e || part >= parts) {
                return;
            }
            if (!claims.compareAndSet(v, v + 1)) {
                continue;
            }
            // A piece of dispatch e is now claimed and unfinished, so the caller cannot have moved on: task is e's.
            try {
                task.run(part, parts);
            } catch (Throwable x) {
                failure = x;
            } finally {
                if (done.incrementAndGet() == parts && callerSleeping) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private void awaitDone() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (done.get() < parts) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                callerSleeping = true;
                if (done.get() < parts) {
                    LockSupport.park(this);
                }
                callerSleeping = false;
            }
        }
    }

    private void workLoop(int index) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (claims.get() >>> 32 == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    sleeping.set(index, 1);
                    if (claims.get() >>> 32 == seen && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping.set(index, 0);
                }
            }
            if (closed) {
                return;
            }
            seen = claims.get() >>> 32;
            runClaims(seen);
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

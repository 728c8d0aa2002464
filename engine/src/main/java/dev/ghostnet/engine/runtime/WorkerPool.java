package dev.ghostnet.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads kept alive across layers and images, so handing a layer to them costs
 * a few hundred nanoseconds rather than a thread start. {@link #run} splits a task into {@code parts} pieces
 * and returns when all are done.
 *
 * <p>Each piece has an owner, the caller piece 0 and worker i piece i + 1, and each thread runs its own piece
 * first: consecutive layers split the same way (by pixels or rows), so a thread reads mostly what it wrote
 * itself in the layer before, from its own core's cache. A depthwise layer split among whoever claimed first
 * measured barely faster on two threads than on one (165 against 200 us at 112x112, minima of the step run
 * alone), its input arriving from the other core's cache; with owners, 102 us. Pieces are still claimed, not assigned: a thread that has
 * finished its own piece takes any piece not yet begun. A worker that is slow to wake (parked, or descheduled
 * on a busy machine) thus never holds up a layer: the caller runs its piece too, and the late worker finds
 * nothing left. Waiting on a thread's wake-up was what made the tail latency at two threads about three times
 * the median.
 *
 * <p>Threads spin for {@value #SPIN_NANOS} ns before parking: long enough to span the serial stretches
 * inside one inference (steps too small to split, and at batch 1 the global pool and the small
 * squeeze-excites, run on the caller alone for tens of microseconds), so the workers only park between
 * inferences. A thread is woken only when it has parked. One caller at a
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
    /** The current dispatch's number; a volatile write of it publishes a dispatch to the workers. */
    private volatile int epoch;
    /** Per piece, the dispatch that last claimed it: unclaimed in dispatch e while older than e. */
    private final AtomicIntegerArray claimedIn;
    /** Pieces of the current dispatch finished (or failed). */
    private final AtomicInteger done = new AtomicInteger();
    /** 1 while worker i is parked or about to park, so the caller knows to unpark it. */
    private final AtomicIntegerArray sleeping;
    private volatile boolean callerSleeping;
    private volatile Task task;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    WorkerPool(int parts, String name) {
        if (parts < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + parts);
        }
        this.parts = parts;
        this.workers = new Thread[parts - 1];
        this.sleeping = new AtomicIntegerArray(Math.max(1, parts - 1));
        this.claimedIn = new AtomicIntegerArray(parts);
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
        int e = epoch + 1;
        epoch = e; // the volatile write publishes task, caller and done to the workers
        for (int i = 0; i < workers.length; i++) {
            if (sleeping.get(i) == 1) {
                LockSupport.unpark(workers[i]);
            }
        }
        runClaims(e, 0);
        awaitDone();
        task = null;
        Throwable thrown = failure;
        if (thrown != null) {
            throwUnchecked(thrown);
        }
    }

    /**
     * Runs the pieces of dispatch {@code e} not yet claimed, piece {@code own} first and then the others in
     * turn. A thread that read an older epoch claims nothing: every piece was claimed in that dispatch or later.
     */
    private void runClaims(int e, int own) {
        for (int i = 0; i < parts; i++) {
            int part = (own + i) % parts;
            int last = claimedIn.get(part);
            if (e - last <= 0 || !claimedIn.compareAndSet(part, last, e)) {
                continue; // claimed in dispatch e (or, for a stale e, later) by someone else
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
        int seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (epoch == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    sleeping.set(index, 1);
                    if (epoch == seen && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping.set(index, 0);
                }
            }
            if (closed) {
                return;
            }
            seen = epoch;
            runClaims(seen, index + 1);
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

package dev.ghostnet;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The sessions behind a {@link GhostNet}'s thread-safe calls: at most {@code maxSessions}, created when a
 * caller finds none idle, handed back after each call. A permit per session bounds them; a caller
 * finding all busy waits for one. Borrowing and returning allocate nothing once the sessions exist.
 */
final class SessionPool implements AutoCloseable {
    private final GhostNet model;
    private final PoolConfig config;
    private final Semaphore permits;
    private final ArrayBlockingQueue<GhostNetSession> idle;
    private boolean closed;

    SessionPool(GhostNet model, PoolConfig config) {
        this.model = model;
        this.config = config;
        this.permits = new Semaphore(config.maxSessions(), true);
        this.idle = new ArrayBlockingQueue<>(config.maxSessions());
    }

    PoolConfig config() {
        return config;
    }

    /** An idle session, a new one, or (all busy) the next one returned; {@link #giveBack} it in a finally. */
    GhostNetSession borrow() {
        model.checkOpen();
        permits.acquireUninterruptibly();
        GhostNetSession session = idle.poll();
        if (session != null) {
            return session;
        }
        try {
            return model.newSession(config.session() != null ? config.session()
                    : model.sessionDefaults().withThreads(1));
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a borrowed session; once the pool is closed, closes it instead. */
    void giveBack(GhostNetSession session) {
        synchronized (this) {
            if (closed) {
                session.close();
            } else {
                idle.offer(session);
            }
        }
        permits.release();
    }

    /** Closes the idle sessions now; busy ones are closed when their call hands them back. */
    @Override
    public synchronized void close() {
        closed = true;
        GhostNetSession session;
        while ((session = idle.poll()) != null) {
            session.close();
        }
    }
}

package dev.ghostnet.engine.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Refuses a second thread entering an object made for one caller at a time (a session: its input buffer,
 * activations and worker pool belong to one inference at a time). Two callers would otherwise overwrite
 * each other's activations and return wrong results silently, or leave both parked in the worker pool's
 * hand-off for ever.
 *
 * <p>{@link #enter()} is one compare-and-set on an owner field and {@link #exit()} one release store:
 * no lock, no allocation, a few nanoseconds against milliseconds of inference. It is a check, not a lock:
 * the thread that loses gets an {@link IllegalStateException} at once and nothing it did is half done.
 */
public final class SingleCaller {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(SingleCaller.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    private final String advice;
    @SuppressWarnings("unused") // accessed through OWNER
    private volatile Thread owner;

    /**
     * @param what   names the guarded object in messages, e.g. {@code "GhostNetSession"}
     * @param advice what to do instead, appended to the message
     */
    public SingleCaller(String what, String advice) {
        this.what = what;
        this.advice = advice;
    }

    /** Marks the calling thread as the one using the object; throws when another (or this one) already is. */
    public void enter() {
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, null, me)) {
            throw conflict(me);
        }
    }

    /** Ends the call {@link #enter()} began; call it in a {@code finally}. */
    public void exit() {
        OWNER.setRelease(this, null);
    }

    private IllegalStateException conflict(Thread me) {
        Thread other = (Thread) OWNER.getVolatile(this);
        if (other == me) {
            return new IllegalStateException(what + " was called again by thread '" + me.getName()
                    + "' from inside one of its own calls (a callback?): it runs one call at a time");
        }
        return new IllegalStateException(what + " is in use by thread '" + (other == null ? "?" : other.getName())
                + "' and was called at the same time by thread '" + me.getName() + "': it runs one call at a time. "
                + advice);
    }
}

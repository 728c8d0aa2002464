package dev.ghostnet;

/**
 * The sessions a {@link GhostNet} keeps for its own thread-safe calls ({@link GhostNet#classify(java.nio.file.Path,
 * int)}, {@link GhostNet#logits(ImageTensor)}, ...): created when first needed, at most {@code maxSessions}
 * of them, each with {@code session}'s configuration. A call borrows an idle session, or creates one, or
 * waits for one to be returned when {@code maxSessions} are busy. They are closed with the model.
 *
 * @param maxSessions how many calls run at the same time at most; more callers wait
 * @param session     the configuration of each pooled session, or null for the model's
 *                    {@link GhostNet#sessionDefaults()} on one thread (its own preprocessing)
 */
public record PoolConfig(int maxSessions, SessionConfig session) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when {@code maxSessions} is not positive
     */
    public PoolConfig {
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
        }
    }

    /**
     * One single-threaded session per available core, with the model's preprocessing: concurrent callers
     * each bring their thread, so sessions do not add workers of their own. A lone caller that wants every
     * core for one image should use its own {@link GhostNetSession} ({@link GhostNet#newSession()}) instead.
     *
     * @return the default pool
     */
    public static PoolConfig defaults() {
        return new PoolConfig(Runtime.getRuntime().availableProcessors(), null);
    }
}

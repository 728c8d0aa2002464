package dev.ghostnet;

/**
 * A checkpoint cannot be loaded: missing, unreadable, not a checkpoint, truncated, or keys and shapes
 * that are not a GhostNet's. Nothing stays open or half-loaded when it is thrown.
 */
public final class ModelLoadException extends GhostNetException {
    private static final long serialVersionUID = 1L;

    /**
     * A checkpoint failure with its message and cause.
     *
     * @param message what is wrong, naming the checkpoint
     * @param cause   the underlying failure, or null
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

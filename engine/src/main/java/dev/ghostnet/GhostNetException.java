package dev.ghostnet;

/**
 * A file or stream the library was given cannot be used. The message names the input and the problem,
 * in words meant to be shown to users as they are.
 */
public class GhostNetException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its message and cause.
     *
     * @param message what is wrong, naming the input
     * @param cause   the underlying failure, or null
     */
    public GhostNetException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ghostnet.serve;

/**
 * A request that fails with an HTTP status and a message for the client. The message names what was wrong
 * with the request; it never carries a stack trace or server internals.
 */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String retryAfterSeconds;

    private ApiException(int status, String message, String retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message, null);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, message, null);
    }

    static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, message, null);
    }

    /** 503 with a {@code Retry-After} header: the queue is full or the server is shutting down. */
    static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, message, Integer.toString(retryAfterSeconds));
    }

    static ApiException deadline(String message) {
        return new ApiException(504, message, null);
    }

    int status() {
        return status;
    }

    /** The {@code Retry-After} value in seconds, or null. */
    String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

package dev.ghostnet.serve;

import io.javalin.http.Context;

import java.util.concurrent.TimeUnit;

/**
 * A request's time budget: the server's {@code --deadline-ms}, or less when the client asks for less with
 * the {@code Request-Timeout-Ms} header (a client cannot extend the server's limit).
 */
final class Deadlines {
    static final String HEADER = "Request-Timeout-Ms";

    private Deadlines() {}

    /** Nanoseconds from the request's arrival until it must be answered. */
    static long nanos(Context ctx, ServerConfig config) throws ApiException {
        long ms = config.deadlineMs();
        String asked = ctx.header(HEADER);
        if (asked != null) {
            long requested;
            try {
                requested = Long.parseLong(asked.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(HEADER + " must be a whole number of milliseconds, got '" + asked + "'");
            }
            if (requested <= 0) {
                throw ApiException.badRequest(HEADER + " must be positive, got " + requested);
            }
            ms = Math.min(ms, requested);
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}

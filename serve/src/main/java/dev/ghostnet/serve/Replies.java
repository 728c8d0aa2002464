package dev.ghostnet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Writes JSON replies, and every error as the inference protocol's {@code {"error": "..."}}. */
final class Replies {
    static final String JSON = "application/json";
    /** The request attribute naming the endpoint in the metrics. */
    static final String ENDPOINT = "ghostnet.endpoint";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Replies() {}

    static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON).result(body);
    }

    static void json(Context ctx, int status, Map<String, ?> body) {
        json(ctx, status, bytes(body));
    }

    static void error(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", e.retryAfterSeconds());
            // A refusal leaves the body unread; closing spares the server reading and discarding it.
            ctx.header("Connection", "close");
        }
        json(ctx, e.status(), Map.of("error", e.getMessage()));
    }

    /** The client's error for a failed future: the {@link ApiException} inside it, else null (a server fault). */
    static ApiException clientError(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApiException api ? api : null;
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply as JSON", e);
        }
    }
}

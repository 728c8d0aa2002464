package dev.ghostnet.serve;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Answers a request when its inference completes, without holding an HTTP thread while it waits: the reply
 * on success, the client's error (deadline, ...) or a bare 500 whose cause goes to the log only.
 */
final class Responder {
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    private final Executor replies;

    /** Replies are written on {@code replies} (the HTTP threads), never on the worker that ran the batch. */
    Responder(Executor replies) {
        this.replies = replies;
    }

    void complete(Context ctx, CompletableFuture<Inference> result, Function<Inference, byte[]> reply) {
        // Ranking, JSON and the write happen off the worker, which goes straight on to the next batch.
        ctx.future(() -> result.handleAsync((inference, failure) -> {
            if (failure == null) {
                Replies.json(ctx, 200, reply.apply(inference));
                return null;
            }
            ApiException client = Replies.clientError(failure);
            if (client != null) {
                Replies.error(ctx, client);
            } else {
                LOG.error("inference failed", failure);
                serverError(ctx);
            }
            return null;
        }, replies));
    }

    static void serverError(Context ctx) {
        Replies.json(ctx, 500, Map.of("error", "internal server error"));
    }
}

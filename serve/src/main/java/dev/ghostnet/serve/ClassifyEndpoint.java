package dev.ghostnet.serve;

import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/classify[?topk=K]}: one PNG or JPEG, as the raw body or the file of a multipart form, to
 * its top classes with their probabilities and the time spent in each stage.
 */
final class ClassifyEndpoint {
    static final int DEFAULT_TOP_K = 5;

    private final ServerConfig config;
    private final Engine engine;
    private final Batcher batcher;
    private final Responder responder;

    ClassifyEndpoint(ServerConfig config, Engine engine, Batcher batcher, Responder responder) {
        this.config = config;
        this.engine = engine;
        this.batcher = batcher;
        this.responder = responder;
    }

    void handle(Context ctx) throws ApiException {
        ctx.attribute(Replies.ENDPOINT, "classify");
        long start = System.nanoTime();
        int topK = topK(ctx.queryParam("topk"));
        batcher.admit();
        float[] input;
        long decoded;
        try {
            input = engine.preprocess(Bodies.image(ctx, config.maxImageBytes()), "the image");
            decoded = System.nanoTime();
        } catch (ApiException | RuntimeException e) {
            batcher.release();
            throw e;
        }
        CompletableFuture<Inference> result = batcher.submit(input, start + Deadlines.nanos(ctx, config));
        responder.complete(ctx, result, inference -> Replies.bytes(reply(topK, inference, start, decoded)));
    }

    private Map<String, Object> reply(int topK, Inference inference, long start, long decoded) {
        List<Map<String, Object>> predictions = new ArrayList<>(topK);
        for (TopK.Scored s : TopK.of(inference.logits(), 0, engine.numClasses(), topK, engine::label)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("index", s.index());
            p.put("label", s.label());
            p.put("probability", s.probability());
            predictions.add(p);
        }
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("decode", millis(decoded - start));
        timings.put("queue", millis(inference.queueNanos()));
        timings.put("inference", millis(inference.inferenceNanos()));
        timings.put("total", millis(System.nanoTime() - start));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("model", config.modelName());
        reply.put("untrained", engine.untrained());
        reply.put("predictions", predictions);
        reply.put("batch_size", inference.batchImages());
        reply.put("timings_ms", timings);
        return reply;
    }

    private int topK(String value) throws ApiException {
        if (value == null) {
            return DEFAULT_TOP_K;
        }
        int k;
        try {
            k = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("topk must be an integer, got '" + value + "'");
        }
        if (k < 1 || k > engine.numClasses()) {
            throw ApiException.badRequest("topk must be 1.." + engine.numClasses() + ", got " + k);
        }
        return k;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}

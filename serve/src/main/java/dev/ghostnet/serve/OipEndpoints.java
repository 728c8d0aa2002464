package dev.ghostnet.serve;

import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol v2 REST endpoints: server and model health, metadata, and inference. The one
 * model has the one version {@value #VERSION}; paths with {@code /versions/{v}} accept only that.
 */
final class OipEndpoints {
    static final String VERSION = "1";

    private final ServerConfig config;
    private final Engine engine;
    private final Batcher batcher;
    private final Responder responder;
    private final OipCodec codec;
    private final BooleanSupplier ready;

    OipEndpoints(ServerConfig config, Engine engine, Batcher batcher, Responder responder, BooleanSupplier ready) {
        this.config = config;
        this.engine = engine;
        this.batcher = batcher;
        this.responder = responder;
        this.codec = new OipCodec(engine.inputSize(), config.maxJsonBytes());
        this.ready = ready;
    }

    void live(Context ctx) {
        ctx.attribute(Replies.ENDPOINT, "health");
        Replies.json(ctx, 200, Map.of("live", true));
    }

    /** 200 while serving; 503 once shutting down, so that a balancer stops sending. */
    void ready(Context ctx) {
        ctx.attribute(Replies.ENDPOINT, "health");
        boolean isReady = ready.getAsBoolean();
        Replies.json(ctx, isReady ? 200 : 503, Map.of("ready", isReady));
    }

    void server(Context ctx) {
        ctx.attribute(Replies.ENDPOINT, "metadata");
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("name", "ghostnet-serve");
        reply.put("version", ServeMain.VERSION);
        reply.put("extensions", List.of());
        Replies.json(ctx, 200, reply);
    }

    void model(Context ctx) throws ApiException {
        ctx.attribute(Replies.ENDPOINT, "metadata");
        checkModel(ctx);
        Replies.json(ctx, 200, codec.modelMetadata(config.modelName(), VERSION, engine.numClasses()));
    }

    void modelReady(Context ctx) throws ApiException {
        ctx.attribute(Replies.ENDPOINT, "health");
        checkModel(ctx);
        boolean isReady = ready.getAsBoolean();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("name", config.modelName());
        reply.put("ready", isReady);
        Replies.json(ctx, isReady ? 200 : 503, reply);
    }

    void infer(Context ctx) throws ApiException {
        ctx.attribute(Replies.ENDPOINT, "infer");
        long start = System.nanoTime();
        checkModel(ctx);
        long budget = Deadlines.nanos(ctx, config);
        batcher.admit();
        OipRequest request;
        float[] input;
        try {
            request = codec.parse(Bodies.bounded(ctx, config.maxJsonBytes(), "JSON body"));
            input = request.tensor() != null ? request.tensor() : preprocess(request.images());
        } catch (ApiException | RuntimeException e) {
            batcher.release();
            throw e;
        }
        int classes = engine.numClasses();
        responder.complete(ctx, batcher.submit(input, start + budget), inference -> codec.inferResponse(
                config.modelName(), VERSION, request.id(), inference.logits(), request.batch(), classes));
    }

    private float[] preprocess(List<byte[]> images) throws ApiException {
        int floats = engine.imageFloats();
        float[] all = new float[images.size() * floats];
        for (int i = 0; i < images.size(); i++) {
            float[] one = engine.preprocess(images.get(i), "BYTES element " + i);
            System.arraycopy(one, 0, all, i * floats, floats);
        }
        return all;
    }

    private void checkModel(Context ctx) throws ApiException {
        String name = ctx.pathParam("name");
        if (!name.equals(config.modelName())) {
            throw ApiException.notFound("unknown model '" + name + "': this server serves '" + config.modelName() + "'");
        }
        String version = ctx.pathParamMap().get("version");
        if (version != null && !version.equals(VERSION)) {
            throw ApiException.notFound("unknown version '" + version + "' of model '" + name + "': it has version "
                    + VERSION);
        }
    }
}

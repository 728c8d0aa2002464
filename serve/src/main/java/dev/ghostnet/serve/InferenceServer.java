package dev.ghostnet.serve;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP server: Javalin routes over the batcher, the metrics, and a graceful shutdown that lets
 * in-flight requests finish while new ones are refused.
 */
final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final String STARTED = "ghostnet.started";
    /** Jetty's acceptor and selector take two; the rest parse, decode, refuse and reply. */
    private static final int HTTP_THREADS = 12;

    private final ServerConfig config;
    private final Batcher batcher;
    private final ServeMetrics metrics;
    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] page;
    private final QueuedThreadPool httpThreads;
    private volatile boolean draining;
    private boolean stopped;

    private InferenceServer(ServerConfig config, Engine engine, Supplier<BatchRunner> runners) {
        this.config = config;
        this.metrics = new ServeMetrics(config.maxBatch());
        this.batcher = new Batcher(config, runners, engine.imageFloats(), engine.numClasses(), metrics);
        this.page = resource("index.html");
        metrics.inFlight(inFlight);
        // A small HTTP pool: under overload the threads answering 503 must not crowd out the workers.
        this.httpThreads = new QueuedThreadPool(HTTP_THREADS, 4);
        httpThreads.setName("ghostnet-http");
        Responder responder = new Responder(httpThreads);
        ClassifyEndpoint classify = new ClassifyEndpoint(config, engine, batcher, responder);
        OipEndpoints oip = new OipEndpoints(config, engine, batcher, responder, () -> !draining);
        this.app = Javalin.create(c -> configure(c, classify, oip));
    }

    /** Starts serving {@code engine} (which stays the caller's to close after this server). */
    static InferenceServer start(ServerConfig config, Engine engine) {
        return start(config, engine, () -> engine.newRunner(config.threads(), config.maxBatch()));
    }

    /** Starts with runners of the caller's: tests use ones they can hold back to fill the queue. */
    static InferenceServer start(ServerConfig config, Engine engine, Supplier<BatchRunner> runners) {
        InferenceServer server = new InferenceServer(config, engine, runners);
        try {
            server.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The bound port (the chosen one when the configuration said 0). */
    int port() {
        return app.port();
    }

    private void configure(JavalinConfig c, ClassifyEndpoint classify, OipEndpoints oip) {
        c.jetty.threadPool = httpThreads;
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = Math.max(config.maxImageBytes(), config.maxJsonBytes());
        c.http.asyncTimeout = config.deadlineMs() + 5_000L;
        c.jetty.multipartConfig.maxFileSize(config.maxImageBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(config.maxImageBytes() + 64 * 1024L, SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize(config.maxImageBytes(), SizeUnit.BYTES);
        c.jetty.modifyServer(server -> server.setStopTimeout(config.drainMs()));
        c.requestLogger.http(this::finished);

        c.routes.before(this::arrived);
        c.routes.get("/", ctx -> {
            ctx.attribute(Replies.ENDPOINT, "page");
            ctx.contentType("text/html; charset=utf-8").result(page);
        });
        c.routes.get("/metrics", ctx -> {
            ctx.attribute(Replies.ENDPOINT, "metrics");
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        c.routes.post("/v1/classify", classify::handle);
        c.routes.get("/v2", oip::server);
        c.routes.get("/v2/health/live", oip::live);
        c.routes.get("/v2/health/ready", oip::ready);
        for (String model : new String[] {"/v2/models/{name}", "/v2/models/{name}/versions/{version}"}) {
            c.routes.get(model, oip::model);
            c.routes.get(model + "/ready", oip::modelReady);
            c.routes.post(model + "/infer", oip::infer);
        }

        // A refusal can come before the body is read (503 at admission, a bad topk, shutting down): the body is
        // drained first, or the server closes the connection under a client still sending it.
        long largestBody = Math.max(config.maxImageBytes() + Bodies.MULTIPART_OVERHEAD, config.maxJsonBytes());
        c.routes.exception(ApiException.class, (e, ctx) -> {
            Bodies.discard(ctx, largestBody);
            Replies.error(ctx, e);
        });
        // Javalin's own refusals (no such endpoint, method not allowed ...) in the same error form.
        c.routes.exception(HttpResponseException.class, (e, ctx) ->
                Replies.json(ctx, e.getStatus(), Map.of("error", e.getMessage())));
        c.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            Responder.serverError(ctx);
        });
    }

    private void arrived(Context ctx) throws ApiException {
        inFlight.incrementAndGet();
        ctx.attribute(STARTED, System.nanoTime());
        if (draining) {
            throw ApiException.unavailable("the server is shutting down", 1);
        }
    }

    private void finished(Context ctx, Float ignoredMs) {
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            inFlight.decrementAndGet();
            String endpoint = ctx.attribute(Replies.ENDPOINT);
            metrics.request(endpoint == null ? "other" : endpoint, ctx.statusCode(), System.nanoTime() - started);
        }
    }

    /**
     * Graceful stop: refuse new requests (503), let admitted requests finish within the
     * drain time, then stop the workers and Jetty. Idempotent.
     */
    synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        draining = true;
        batcher.refuseNew();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainMs());
        try {
            while (inFlight.get() > 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            batcher.shutdown(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            LOG.warn("{} requests still in flight after the drain time of {} ms", inFlight.get(), config.drainMs());
        }
        app.stop();
    }

    @Override
    public void close() {
        shutdown();
    }

    private static byte[] resource(String name) {
        try (InputStream in = InferenceServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the serve module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

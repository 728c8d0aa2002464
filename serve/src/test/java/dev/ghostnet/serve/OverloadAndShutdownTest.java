package dev.ghostnet.serve;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ghostnet.serve.ClassifyEndpointTest.assertError;
import static dev.ghostnet.serve.TestServers.get;
import static dev.ghostnet.serve.TestServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload (503 + Retry-After), deadlines (504), metrics and graceful shutdown over HTTP, with a runner the
 * test holds back so that the queue fills exactly when the test says.
 */
class OverloadAndShutdownTest {
    private final Engine engine = TestServers.engine();
    private final TestServers.HeldRunner runner = new TestServers.HeldRunner(engine.imageFloats(), engine.numClasses());
    private InferenceServer server;

    private InferenceServer start(int queue) {
        server = InferenceServer.start(TestServers.config().withBatching(1, 0, queue), engine, () -> runner);
        return server;
    }

    @AfterEach
    void stop() {
        runner.gate.release(1000);
        server.close();
    }

    private CompletableFuture<HttpResponse<byte[]>> classifyAsync() {
        return CompletableFuture.supplyAsync(() -> post(server, "/v1/classify", TestServers.chelsea(), "image/png"));
    }

    private double metric(String line) {
        String text = new String(get(server, "/metrics").body());
        for (String l : text.split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1));
            }
        }
        return Double.NaN;
    }

    private void awaitQueueDepth(int depth) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (metric("ghostnet_queue_depth") != depth) {
            assertTrue(System.nanoTime() < end, "the queue never reached " + depth);
            Thread.sleep(10);
        }
    }

    @Test
    void aFullQueueIsRefusedWith503AndRetryAfterAndTheAdmittedStillSucceed() throws Exception {
        start(1);
        CompletableFuture<HttpResponse<byte[]>> running = classifyAsync();
        assertTrue(runner.started.tryAcquire(60, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<byte[]>> queued = classifyAsync();
        awaitQueueDepth(1);
        HttpResponse<byte[]> refused = post(server, "/v1/classify", TestServers.chelsea(), "image/png");
        assertError(refused, 503, "at capacity");
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
        String infer = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"aGVsbG8=\"]}]}";
        assertError(post(server, "/v2/models/ghostnet/infer", infer.getBytes(), "application/json"), 503, "at capacity");
        runner.gate.release(2);
        assertEquals(200, running.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(200, queued.get(60, TimeUnit.SECONDS).statusCode());

        String metrics = new String(get(server, "/metrics").body());
        assertEquals(2.0, metric("ghostnet_requests_total{endpoint=\"classify\",status=\"200\"}"), metrics);
        assertEquals(1.0, metric("ghostnet_requests_total{endpoint=\"classify\",status=\"503\"}"), metrics);
        assertEquals(1.0, metric("ghostnet_requests_total{endpoint=\"infer\",status=\"503\"}"), metrics);
        assertEquals(2.0, metric("ghostnet_batch_size_images_count"), metrics);
        assertEquals(2.0, metric("ghostnet_batch_size_images_bucket{le=\"1.0\"}"), metrics);
        assertEquals(2.0, metric("ghostnet_inference_seconds_count"), metrics);
        assertEquals(0.0, metric("ghostnet_queue_depth"), metrics);
        assertTrue(metrics.contains("ghostnet_request_latency_seconds_bucket{endpoint=\"classify\",status=\"200\",le=\""),
                metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics too");
    }

    @Test
    void aRequestNotAnsweredWithinItsDeadlineGets504() throws Exception {
        start(4);
        HttpResponse<byte[]> late = TestServers.send(HttpRequest.newBuilder(TestServers.uri(server, "/v1/classify"))
                .header(Deadlines.HEADER, "300")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestServers.chelsea())).build());
        assertError(late, 504, "deadline of");
        assertError(TestServers.send(HttpRequest.newBuilder(TestServers.uri(server, "/v1/classify"))
                .header(Deadlines.HEADER, "soon")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestServers.chelsea())).build()), 400, "milliseconds");
    }

    @Test
    void shutdownFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        start(4);
        CompletableFuture<HttpResponse<byte[]>> inFlight = classifyAsync();
        assertTrue(runner.started.tryAcquire(60, TimeUnit.SECONDS));
        Thread stopper = Thread.ofPlatform().start(server::shutdown);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean refused = false;
        while (!refused && System.nanoTime() < end) {
            try {
                HttpResponse<byte[]> ready = get(server, "/v2/health/ready");
                refused = ready.statusCode() == 503;
            } catch (UncheckedIOException e) {
                refused = e.getCause() instanceof IOException; // the listener is closed: refused as well
            }
        }
        assertTrue(refused, "a draining server must refuse new requests");
        assertFalse(inFlight.isDone(), "the request in flight is still running");
        runner.gate.release();
        HttpResponse<byte[]> done = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode(), new String(done.body()));
        stopper.join(30_000);
        assertFalse(stopper.isAlive(), "shutdown returns once the requests in flight are answered");
    }
}

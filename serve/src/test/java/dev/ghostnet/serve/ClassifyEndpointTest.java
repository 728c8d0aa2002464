package dev.ghostnet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ghostnet.Classification;
import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.SessionConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.ghostnet.serve.TestServers.json;
import static dev.ghostnet.serve.TestServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/classify} against the real (seeded) model. */
class ClassifyEndpointTest {
    private static InferenceServer server;

    @BeforeAll
    static void start() {
        server = InferenceServer.start(TestServers.config().withBatching(4, 1500, 16), TestServers.engine());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<TopK.Scored> inProcess(byte[] image, int k) throws ApiException {
        Engine engine = TestServers.engine();
        try (Engine.Runner runner = engine.newRunner(1, 1)) {
            return TopK.of(runner.logits(engine.preprocess(image, "test image")), 0, engine.numClasses(), k,
                    engine::label);
        }
    }

    private static void assertSame(List<TopK.Scored> expected, JsonNode predictions) {
        assertEquals(expected.size(), predictions.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode p = predictions.get(i);
            assertEquals(expected.get(i).index(), p.get("index").asInt(), "rank " + i);
            assertEquals(expected.get(i).label(), p.get("label").asText(), "rank " + i);
            assertEquals(expected.get(i).probability(), p.get("probability").floatValue(), 1e-4, "rank " + i);
        }
    }

    @Test
    void aRawPngGivesTheTopFiveWithTimingsAsTheLibraryDoes() throws Exception {
        HttpResponse<byte[]> response = post(server, "/v1/classify", TestServers.chelsea(), "image/png");
        assertEquals(200, response.statusCode(), new String(response.body()));
        JsonNode body = json(response);
        assertEquals("ghostnet", body.get("model").asText());
        assertTrue(body.get("untrained").asBoolean());
        assertSame(inProcess(TestServers.chelsea(), 5), body.get("predictions"));
        for (String stage : List.of("decode", "queue", "inference", "total")) {
            assertTrue(body.get("timings_ms").get(stage).asDouble() >= 0, stage);
        }
        // The same answer as the engine's own public API on the file.
        try (GhostNet model = GhostNet.seeded(0.5, 1000, 42);
             GhostNetSession session = model.newSession(SessionConfig.defaults().withThreads(1))) {
            Classification library = session.classify(TestServers.CHELSEA, 5);
            for (int i = 0; i < 5; i++) {
                assertEquals(library.top().get(i).index(), body.get("predictions").get(i).get("index").asInt());
                assertEquals(library.top().get(i).probability(),
                        body.get("predictions").get(i).get("probability").floatValue(), 1e-4);
            }
        }
    }

    @Test
    void aMultipartJpegAndTopK() throws Exception {
        byte[] jpeg = TestServers.variant(0, "jpg");
        String boundary = "ghostnet-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cat.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + jpeg.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(jpeg, 0, body, head.length, jpeg.length);
        System.arraycopy(tail, 0, body, head.length + jpeg.length, tail.length);
        HttpResponse<byte[]> response = post(server, "/v1/classify?topk=2", body,
                "multipart/form-data; boundary=" + boundary);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertSame(inProcess(jpeg, 2), json(response).get("predictions"));
    }

    @Test
    void concurrentRequestsShareABatchAndEachGetsItsOwnAnswer() throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int turns = 0; turns < 4; turns++) {
            images.add(TestServers.variant(turns, "png"));
        }
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (byte[] image : images) {
            responses.add(CompletableFuture.supplyAsync(() -> post(server, "/v1/classify", image, "image/png")));
        }
        int largestBatch = 0;
        for (int i = 0; i < images.size(); i++) {
            HttpResponse<byte[]> response = responses.get(i).join();
            assertEquals(200, response.statusCode(), new String(response.body()));
            JsonNode body = json(response);
            assertSame(inProcess(images.get(i), 5), body.get("predictions"));
            largestBatch = Math.max(largestBatch, body.get("batch_size").asInt());
        }
        assertTrue(largestBatch > 1, "four requests within the 1.5 s window must share a batch, largest was "
                + largestBatch);
    }

    @Test
    void badInputIs400NamingTheProblem() {
        assertError(post(server, "/v1/classify", "not an image".getBytes(StandardCharsets.UTF_8), "image/png"),
                400, "not a readable PNG or JPEG");
        assertError(post(server, "/v1/classify", new byte[0], "image/png"), 400, "body is empty");
        byte[] cut = java.util.Arrays.copyOf(TestServers.chelsea(), 2000);
        assertError(post(server, "/v1/classify", cut, "image/png"), 400, "image");
        assertError(post(server, "/v1/classify?topk=0", TestServers.chelsea(), "image/png"), 400, "topk must be 1..1000");
        assertError(post(server, "/v1/classify?topk=five", TestServers.chelsea(), "image/png"), 400, "topk must be an integer");
        assertError(TestServers.get(server, "/v1/nothing"), 404, "GET /v1/nothing not found");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        try (InferenceServer small = InferenceServer.start(TestServers.config().withLimits(60_000, 1000, 1000),
                TestServers.engine())) {
            assertError(post(small, "/v1/classify", TestServers.chelsea(), "image/png"), 413, "larger than the limit of 1000 bytes");
            HttpResponse<byte[]> chunked = TestServers.send(HttpRequest.newBuilder(TestServers.uri(small, "/v1/classify"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            TestServers.chelsea()))).build());
            assertError(chunked, 413, "larger than the limit");
        }
    }

    static void assertError(HttpResponse<byte[]> response, int status, String fragment) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        JsonNode error = json(response).get("error");
        assertTrue(error != null && error.asText().contains(fragment), "expected '" + fragment + "' in " + body);
        assertFalse(body.contains("\tat ") || body.contains("at dev.ghostnet") || body.contains("/tmp/"),
                "no stack trace or server paths in " + body);
    }
}

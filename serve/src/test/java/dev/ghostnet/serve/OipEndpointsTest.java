package dev.ghostnet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static dev.ghostnet.serve.ClassifyEndpointTest.assertError;
import static dev.ghostnet.serve.TestServers.get;
import static dev.ghostnet.serve.TestServers.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Open Inference Protocol v2 endpoints, checked against the request and response examples of the
 * protocol's REST specification (the examples' structure, with this model's tensors).
 */
class OipEndpointsTest {
    private static final String JSON = "application/json";
    private static InferenceServer server;
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = TestServers.engine();
        server = InferenceServer.start(TestServers.config().withBatching(4, 5, 16), engine);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> infer(String body) {
        return TestServers.post(server, "/v2/models/ghostnet/infer", body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static float[] preprocessed(byte[] image) throws ApiException {
        return engine.preprocess(image, "test image");
    }

    private static float[] inProcessLogits(float[] nchw) {
        try (Engine.Runner runner = engine.newRunner(1, 4)) {
            return runner.logits(nchw);
        }
    }

    private static String numbers(float[] values, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(i > from ? "," : "").append(values[i]);
        }
        return s.toString();
    }

    /** The tensor as nested arrays [N][3][S][S], which the protocol allows as well as flat data. */
    private static String nested(float[] values, int n, int size) {
        StringBuilder s = new StringBuilder("[");
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            s.append(i > 0 ? "," : "").append('[');
            for (int c = 0; c < 3; c++) {
                s.append(c > 0 ? "," : "").append('[');
                for (int y = 0; y < size; y++) {
                    int row = (i * 3 + c) * plane + y * size;
                    s.append(y > 0 ? "," : "").append('[').append(numbers(values, row, row + size)).append(']');
                }
                s.append(']');
            }
            s.append(']');
        }
        return s.append(']').toString();
    }

    private static void assertLogits(JsonNode response, float[] expected, int n) {
        JsonNode output = response.get("outputs").get(0);
        assertEquals("logits", output.get("name").asText());
        assertEquals("FP32", output.get("datatype").asText());
        assertEquals(List.of(n, engine.numClasses()), List.of(output.get("shape").get(0).asInt(),
                output.get("shape").get(1).asInt()));
        JsonNode data = output.get("data");
        assertEquals(expected.length, data.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], data.get(i).floatValue(), 1e-4 * Math.max(1, Math.abs(expected[i])), "logit " + i);
        }
    }

    @Test
    void healthAndMetadata() {
        HttpResponse<byte[]> live = get(server, "/v2/health/live");
        assertEquals(200, live.statusCode());
        assertTrue(json(live).get("live").asBoolean());
        HttpResponse<byte[]> ready = get(server, "/v2/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(json(ready).get("ready").asBoolean());

        JsonNode meta = json(get(server, "/v2"));
        assertEquals("ghostnet-serve", meta.get("name").asText());
        assertTrue(meta.get("version").isTextual());
        assertTrue(meta.get("extensions").isArray());

        HttpResponse<byte[]> model = get(server, "/v2/models/ghostnet");
        assertEquals(200, model.statusCode());
        JsonNode m = json(model);
        assertEquals("ghostnet", m.get("name").asText());
        assertEquals("1", m.get("versions").get(0).asText());
        assertTrue(m.get("platform").isTextual());
        JsonNode input = m.get("inputs").get(0);
        assertEquals("FP32", input.get("datatype").asText());
        assertEquals("[-1,3,224,224]", input.get("shape").toString());
        assertEquals("[-1,1000]", m.get("outputs").get(0).get("shape").toString());
        assertEquals(200, get(server, "/v2/models/ghostnet/versions/1").statusCode());

        JsonNode modelReady = json(get(server, "/v2/models/ghostnet/ready"));
        assertEquals("ghostnet", modelReady.get("name").asText());
        assertTrue(modelReady.get("ready").asBoolean());

        assertError(get(server, "/v2/models/resnet"), 404, "unknown model 'resnet'");
        assertError(get(server, "/v2/models/ghostnet/versions/7/ready"), 404, "unknown version '7'");
    }

    @Test
    void theSpecificationsExampleShapeWithFp32ImagesGivesTheirLogits() throws Exception {
        float[] a = preprocessed(TestServers.chelsea());
        float[] b = preprocessed(TestServers.variant(1, "png"));
        float[] both = new float[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        String request = "{\n  \"id\" : \"42\",\n  \"inputs\" : [\n    {\n      \"name\" : \"input0\",\n"
                + "      \"shape\" : [ 2, 3, 224, 224 ],\n      \"datatype\" : \"FP32\",\n      \"data\" : [ "
                + numbers(both, 0, both.length) + " ]\n    }\n  ],\n  \"outputs\" : [\n    {\n"
                + "      \"name\" : \"logits\"\n    }\n  ]\n}";
        HttpResponse<byte[]> response = infer(request);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(JSON));
        JsonNode body = json(response);
        assertEquals("42", body.get("id").asText(), "the request's id must be echoed");
        assertEquals("ghostnet", body.get("model_name").asText());
        assertLogits(body, inProcessLogits(both), 2);

        // Nested data, parameters, no "outputs" (all outputs), no id, the versioned path.
        String nested = "{\"parameters\":{\"priority\":1},\"inputs\":[{\"name\":\"input\",\"shape\":[1,3,224,224],"
                + "\"datatype\":\"FP32\",\"parameters\":{},\"data\":" + nested(a, 1, 224) + "}]}";
        HttpResponse<byte[]> second = TestServers.post(server, "/v2/models/ghostnet/versions/1/infer",
                nested.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(200, second.statusCode(), new String(second.body()));
        assertFalse(json(second).has("id"));
        assertLogits(json(second), inProcessLogits(a), 1);
    }

    @Test
    void bytesInputCarriesEncodedImages() throws Exception {
        byte[] png = TestServers.chelsea();
        byte[] jpeg = TestServers.variant(2, "jpg");
        String request = "{\"id\":\"img\",\"inputs\":[{\"name\":\"image\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\""
                + Base64.getEncoder().encodeToString(png) + "\",\"" + Base64.getEncoder().encodeToString(jpeg) + "\"]}]}";
        HttpResponse<byte[]> response = infer(request);
        assertEquals(200, response.statusCode(), new String(response.body()));
        float[] a = preprocessed(png);
        float[] b = preprocessed(jpeg);
        float[] both = new float[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertLogits(json(response), inProcessLogits(both), 2);
    }

    @Test
    void theSpecificationsExampleRequestAsSentIsRefusedWithAnErrorObject() {
        String spec = "{\n  \"id\" : \"42\",\n  \"inputs\" : [\n    {\n      \"name\" : \"input0\",\n"
                + "      \"shape\" : [ 2, 2 ],\n      \"datatype\" : \"UINT32\",\n      \"data\" : [ 1, 2, 3, 4 ]\n"
                + "    },\n    {\n      \"name\" : \"input1\",\n      \"shape\" : [ 3 ],\n      \"datatype\" : \"BOOL\",\n"
                + "      \"data\" : [ true ]\n    }\n  ],\n  \"outputs\" : [\n    {\n      \"name\" : \"output0\"\n"
                + "    }\n  ]\n}";
        // Its second input's data holds a boolean, which no input of this model can.
        assertError(infer(spec), 400, "input 1 \"data\" holds a boolean");
        String numeric = spec.replace("[ true ]", "[ 1, 2, 3 ]");
        assertError(infer(numeric), 400, "unknown output 'output0'");
        assertError(infer(numeric.replace("output0", "logits")), 400, "this model has one input, the request has 2");
    }

    @Test
    void badRequestsAre400NamingTheProblem() {
        String tiny = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3,2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7,8,9,10,11,12]}]}";
        assertError(infer(tiny), 400, "has shape [1, 3, 2, 2]: expected [N, 3, 224, 224]");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3,224,224],\"datatype\":\"FP32\",\"data\":[1,2]}]}"),
                400, "has 2 numbers in \"data\" but its shape [1, 3, 224, 224] needs 150528 numbers");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[4],\"datatype\":\"INT8\",\"data\":[1,2,3,4]}]}"),
                400, "has datatype INT8");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"%%%\"]}]}"),
                400, "input 'x' element 0 is not base64");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"aGVsbG8=\"]}]}"),
                400, "BYTES element 0 is not a readable PNG or JPEG");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"aGVsbG8=\"]}],"
                + "\"outputs\":[{\"name\":\"probabilities\"}]}"), 400, "unknown output 'probabilities'");
        assertError(infer("{\"inputs\": [ {\"name\": \"x\", "), 400, "malformed JSON at line 1");
        assertError(infer("{\"id\": 42, \"inputs\": []}"), 400, "\"id\" must be a string");
        assertError(infer("{\"outputs\": []}"), 400, "has no \"inputs\"");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\"}]}"), 400, "needs \"name\", \"shape\"");
        assertError(infer("[" .repeat(100) + "]".repeat(100)), 400, "must be an object");
        assertError(infer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":" + "[".repeat(40)
                + "]".repeat(40) + "}]}"), 400, "malformed JSON");
        assertError(TestServers.post(server, "/v2/models/other/infer", "{}".getBytes(StandardCharsets.UTF_8), JSON),
                404, "unknown model 'other'");
    }

    @Test
    void aJsonBodyOverItsLimitIs413() {
        try (InferenceServer small = InferenceServer.start(TestServers.config().withLimits(60_000, 1 << 20, 4096), engine)) {
            String big = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"" + "A".repeat(5000) + "\"]}]}";
            assertError(TestServers.post(small, "/v2/models/ghostnet/infer", big.getBytes(StandardCharsets.UTF_8), JSON),
                    413, "larger than the limit of 4096 bytes");
        }
    }
}

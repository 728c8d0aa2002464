package dev.ghostnet.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ghostnet serve} as a process: SIGTERM answers the requests in flight, refuses new ones, exits 0. */
class SigtermTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermDrainsAndExitsZero(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                ServeMain.class.getName(), "--port", "0", "--seeded-width", "0.5", "--threads", "1",
                "--max-batch", "8", "--max-delay-ms", "2000", "--deadline-ms", "120000");
        Path log = dir.resolve("serve.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            int port = -1;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (port < 0 && process.isAlive() && System.nanoTime() < end) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
                Thread.sleep(20);
            }
            assertTrue(port > 0, "the server never said where it listens: " + Files.readString(log));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest classify = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/classify"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestServers.chelsea())).build();
            // Eight images to decode and run keep the second request busy for a while after SIGTERM.
            String image = "\"" + Base64.getEncoder().encodeToString(TestServers.chelsea()) + "\"";
            String eight = "{\"inputs\":[{\"name\":\"image\",\"shape\":[8],\"datatype\":\"BYTES\",\"data\":["
                    + String.join(",", Collections.nCopies(8, image)) + "]}]}";
            HttpRequest infer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/ghostnet/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(eight)).build();
            List<CompletableFuture<HttpResponse<String>>> inFlight = List.of(
                    client.sendAsync(classify, HttpResponse.BodyHandlers.ofString()),
                    client.sendAsync(infer, HttpResponse.BodyHandlers.ofString()));
            awaitQueued(client, port);
            process.destroy(); // SIGTERM
            for (CompletableFuture<HttpResponse<String>> response : inFlight) {
                HttpResponse<String> r = response.get(120, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"predictions\"") || r.body().contains("\"logits\""), r.body());
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM: " + Files.readString(log));
            String output = Files.readString(log);
            assertEquals(0, process.exitValue(), "exit status after SIGTERM; output: " + output);
            assertTrue(output.contains("ghostnet serve: stopped"), output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits until the server has at least one of the two requests (the gauge also counts the scrape itself). */
    private static void awaitQueued(HttpClient client, int port) throws Exception {
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        Pattern gauge = Pattern.compile("(?m)^ghostnet_requests_in_flight (\\S+)$");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Matcher m = gauge.matcher(client.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
            if (m.find() && Double.parseDouble(m.group(1)) >= 2) {
                return;
            }
            assertTrue(System.nanoTime() < end, "the requests never reached the server");
            Thread.sleep(5);
        }
    }
}

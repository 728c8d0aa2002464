package dev.ghostnet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/** What the server tests share: one seeded model for the whole run, images, an HTTP client, fake runners. */
final class TestServers {
    static final Path CHELSEA = Path.of("..", "examples", "chelsea.png");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Engine engine;

    private TestServers() {}

    /** A seeded width-0.5 GhostNet, loaded once per test JVM (small and quick; no checkpoint needed). */
    static synchronized Engine engine() {
        if (engine == null) {
            try {
                engine = Engine.open(ModelSpec.seeded(0.5, 42));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return engine;
    }

    /** Ephemeral port, one worker of one thread, generous deadlines (the first inferences run unoptimised). */
    static ServerConfig config() {
        return ServerConfig.defaults().withPort(0).withWorkers(1, 1).withLimits(120_000, 8 << 20, 64 << 20);
    }

    static byte[] chelsea() {
        try {
            return Files.readAllBytes(CHELSEA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chelsea turned by {@code quarterTurns} x 90 degrees and encoded as {@code format} (png or jpg). */
    static byte[] variant(int quarterTurns, String format) {
        try {
            BufferedImage source = ImageIO.read(CHELSEA.toFile());
            BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(source, 0, 0, null);
            BufferedImage turned = rgb;
            for (int t = 0; t < quarterTurns; t++) {
                AffineTransform rotate = new AffineTransform(0, 1, -1, 0, turned.getHeight(), 0);
                BufferedImage next = new BufferedImage(turned.getHeight(), turned.getWidth(), BufferedImage.TYPE_INT_RGB);
                new AffineTransformOp(rotate, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(turned, next);
                turned = next;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(turned, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> get(InferenceServer server, String path) {
        return send(HttpRequest.newBuilder(uri(server, path)).GET().build());
    }

    static HttpResponse<byte[]> post(InferenceServer server, String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static URI uri(InferenceServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(response.body()), e);
        }
    }

    /**
     * A runner that marks each image's logits with its first input float (logit c = first + c) and runs only
     * when the test lets it: {@code gate.release()} lets one batch through.
     */
    static final class HeldRunner implements BatchRunner {
        final Semaphore gate = new Semaphore(0);
        final Semaphore started = new Semaphore(0);
        private final int imageFloats;
        private final int classes;

        HeldRunner(int imageFloats, int classes) {
            this.imageFloats = imageFloats;
            this.classes = classes;
        }

        @Override
        public float[] logits(float[] nchw) {
            started.release();
            gate.acquireUninterruptibly();
            int images = nchw.length / imageFloats;
            float[] logits = new float[images * classes];
            for (int i = 0; i < images; i++) {
                for (int c = 0; c < classes; c++) {
                    logits[i * classes + c] = nchw[i * imageFloats] + c;
                }
            }
            return logits;
        }

        @Override
        public void close() {}
    }
}

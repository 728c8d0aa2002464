package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.engine.image.PreprocessConfig;
import dev.ghostnet.engine.image.Preprocessor;
import dev.ghostnet.engine.image.RgbImage;
import dev.ghostnet.engine.io.ModelConfig;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Real data: the bundled GhostNet trained on Fashion-MNIST classifies all 10,000 test images through the
 * engine's own preprocessing (the model's config.json: PIL bilinear resize 28 -> 32, grey replicated to RGB,
 * normalised) and is compared with PyTorch running torchvision's transform on the same checkpoint.
 *
 * <p>Logits: the engine's largest error against PyTorch float64 must stay within {@link Tolerance#DEFAULT}
 * of PyTorch float32's own. Top-1: equal to PyTorch float32's on every image, except where PyTorch's own
 * top-2 logits are closer than twice that limit (then either order is correct up to rounding): those are
 * counted and printed. Accuracy: both printed, and equal up to those near-ties.
 */
class FashionMnistParityTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    /** The committed model; {@code -Dghostnet.fashion.checkpoint=FILE} checks another (config.json and .sha256 beside it). */
    private static final Path CHECKPOINT = Path.of(System.getProperty("ghostnet.fashion.checkpoint",
            ROOT.resolve("models/fashion-ghostnet/model.safetensors").toString()));
    private static final int BATCH = 250;

    @Test
    void allTenThousandTestImagesAgreeWithPyTorch() throws Exception {
        Path data = dataDirectory();
        checkSha256(CHECKPOINT);
        Path out = Path.of("target", "fashion-reference").toAbsolutePath();
        String torchSays = PyTorchReference.runScript("fashion_reference.py",
                List.of("--weights", CHECKPOINT.toString(), "--data", data.toString(), "--out", out.toString()));
        NpyArray torch32 = Npy.read(out.resolve("logits32.npy"));
        double[] torch64 = Npy.readFloat64(out.resolve("logits64.npy")).data();
        IdxFile images = IdxFile.read(data.resolve("t10k-images-idx3-ubyte.gz"));
        IdxFile labels = IdxFile.read(data.resolve("t10k-labels-idx1-ubyte.gz"));
        int n = labels.shape()[0];
        assertEquals(10_000, n, "Fashion-MNIST has 10,000 test images");

        float[] engine;
        try (GhostNet model = GhostNet.load(CHECKPOINT);
             GhostNetSession session = model.newSession(model.sessionDefaults().withThreads(1)
                     .withBatchCapacity(BATCH))) {
            assertEquals(10, model.numClasses());
            assertEquals("T-shirt/top", model.label(0), "label names come from config.json");
            assertEquals("Ankle boot", model.label(9));
            // The engine's own preprocessing of the raw grey pixels, configured by the same config.json.
            PreprocessConfig transform = ModelConfig.beside(CHECKPOINT).orElseThrow().preprocess();
            assertEquals(transform.crop(), model.preprocessing().crop());
            engine = classify(session, new Preprocessor(transform), images);
        }
        int classes = 10;
        float[] t32 = torch32.data();
        assertEquals((long) n * classes, t32.length, "torch logits shape");

        double torchError = 0, engineError = 0, magnitude = 0;
        for (int i = 0; i < t32.length; i++) {
            torchError = Math.max(torchError, Math.abs(t32[i] - torch64[i]));
            engineError = Math.max(engineError, Math.abs(engine[i] - torch64[i]));
            magnitude = Math.max(magnitude, Math.abs(torch64[i]));
        }
        double limit = Tolerance.DEFAULT.limit(torchError, magnitude);

        int nearTies = 0, disagreements = 0, engineCorrect = 0, torchCorrect = 0;
        StringBuilder unexplained = new StringBuilder();
        for (int image = 0; image < n; image++) {
            int label = labels.at(image);
            int e = argmax(engine, image * classes, classes);
            int t = argmax(t32, image * classes, classes);
            boolean nearTie = topTwoGap(t32, image * classes, classes) <= 2 * limit;
            nearTies += nearTie ? 1 : 0;
            engineCorrect += e == label ? 1 : 0;
            torchCorrect += t == label ? 1 : 0;
            if (e != t) {
                disagreements++;
                if (!nearTie) {
                    unexplained.append(String.format(Locale.ROOT, "%n  image %d: engine %d, torch %d", image, e, t));
                }
            }
        }
        System.out.printf(Locale.ROOT, "Fashion-MNIST %d test images: %s%n  engine accuracy %.2f%%, torch float32 %.2f%%;"
                        + " max logit error vs float64: engine %.2e, torch float32 %.2e (limit %.2e); %d near-ties"
                        + " (torch top-2 within %.2e), %d top-1 disagreements%n", n, torchSays.strip().replace("\n", "; "),
                100.0 * engineCorrect / n, 100.0 * torchCorrect / n, engineError, torchError, limit, nearTies, 2 * limit,
                disagreements);

        assertTrue(engineError <= limit, String.format(Locale.ROOT,
                "engine logits differ from torch float64 by %.3e, more than the limit %.3e (torch float32's own error %.3e)",
                engineError, limit, torchError));
        assertTrue(unexplained.isEmpty(), "top-1 differs from torch where torch's top-2 are not a near-tie:" + unexplained);
        assertTrue(Math.abs(engineCorrect - torchCorrect) <= disagreements,
                "accuracies differ by more than the near-tie disagreements: " + engineCorrect + " vs " + torchCorrect);
        assertTrue(torchCorrect >= 9_000, "the committed model reaches >= 90% test accuracy, torch has " + torchCorrect);
    }

    /** The engine's logits of every image: decoded from the IDX bytes, preprocessed by the engine, batched. */
    private static float[] classify(GhostNetSession session, Preprocessor preprocessor, IdxFile images) {
        int[] shape = images.shape();
        int n = shape[0], h = shape[1], w = shape[2];
        int size = preprocessor.outputSize();
        int imageFloats = 3 * size * size;
        float[] logits = new float[n * 10];
        float[] batch = new float[BATCH * imageFloats];
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            for (int i = 0; i < count; i++) {
                // Grey replicated to RGB, what PIL's convert("RGB") and the engine's PNG decoder do.
                byte[] rgb = new byte[h * w * 3];
                int base = (from + i) * h * w;
                for (int p = 0; p < h * w; p++) {
                    byte v = images.data()[base + p];
                    rgb[3 * p] = v;
                    rgb[3 * p + 1] = v;
                    rgb[3 * p + 2] = v;
                }
                preprocessor.toNchw(new RgbImage(w, h, rgb), batch, i * imageFloats);
            }
            float[] out = session.logits(count == BATCH ? batch : Arrays.copyOf(batch, count * imageFloats));
            System.arraycopy(out, 0, logits, from * 10, count * 10);
        }
        return logits;
    }

    private static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) best = i;
        }
        return best;
    }

    private static double topTwoGap(float[] v, int offset, int n) {
        double first = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double x = v[offset + i];
            if (x > first) {
                second = first;
                first = x;
            } else if (x > second) {
                second = x;
            }
        }
        return first - second;
    }

    private static Path dataDirectory() {
        Path dir = Path.of(System.getenv().getOrDefault("GHOSTNET_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"));
        if (!Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
            fail("Fashion-MNIST is not in " + dir + ": run scripts/provision-fashion-mnist.sh (Debian's dataset-fashion-mnist)"
                    + " or set GHOSTNET_FASHION_MNIST");
        }
        return dir;
    }

    /** The committed checkpoint is the one its .sha256 file names (a changed model must change both). */
    private static void checkSha256(Path checkpoint) throws Exception {
        String expected = Files.readString(Path.of(checkpoint + ".sha256"), StandardCharsets.UTF_8).split("\\s+")[0];
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(checkpoint)));
        assertEquals(expected, actual, checkpoint + " does not match its .sha256");
    }
}

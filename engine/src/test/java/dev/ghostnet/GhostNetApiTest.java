package dev.ghostnet;

import dev.ghostnet.engine.image.ImageNetLabels;
import dev.ghostnet.engine.io.DType;
import dev.ghostnet.engine.io.TestCheckpoints;
import dev.ghostnet.engine.model.GhostNetConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API on a small seeded model at 32x32: results, batching, labels, errors and ownership. */
class GhostNetApiTest {
    private static GhostNet model;

    @BeforeAll
    static void loadModel() {
        model = GhostNet.seeded(0.5, 10, 3);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void topKIsSortedAndIsTheSoftmaxOfTheLogits() throws Exception {
        float[] x = TestInputs.nchw(3, 5);
        try (GhostNet moderate = TestInputs.moderateLogits(0.5, 10, 3, x);
             GhostNetSession session = moderate.newSession(TestInputs.small(2, 1))) {
            float[] logits = session.logits(x);
            List<Classification> results = session.classify(ImageTensor.nchw(x), 4);
            assertEquals(3, results.size());
            for (int n = 0; n < 3; n++) {
                Classification c = results.get(n);
                assertEquals("input " + n, c.source());
                assertEquals(4, c.top().size());
                double[] softmax = softmax(logits, n * 10, 10);
                double sum = 0;
                for (int k = 0; k < c.top().size(); k++) {
                    Prediction p = c.top().get(k);
                    assertEquals("class " + p.index(), p.label());
                    assertEquals(softmax[p.index()], p.probability(), 1e-6, "image " + n + ", class " + p.index());
                    if (k > 0) {
                        assertTrue(p.probability() <= c.top().get(k - 1).probability(), "sorted: " + c.top());
                    }
                    sum += p.probability();
                }
                assertTrue(sum <= 1 + 1e-6, "top-k probabilities sum to " + sum);
                assertTrue(c.top().get(1).probability() > 1e-3, "not one-hot, or the test is vacuous: " + c.top());
                int argmax = 0;
                for (int i = 1; i < 10; i++) if (logits[n * 10 + i] > logits[n * 10 + argmax]) argmax = i;
                assertEquals(argmax, c.best().index());
            }
        }
    }

    @Test
    void batchesGiveTheSameResultsAsSingleImages(@TempDir Path dir) throws Exception {
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path file = dir.resolve("image" + i + ".png");
            ImageIO.write(TestInputs.image(50 + i, 41, i), "png", file.toFile());
            images.add(file);
        }
        List<ImageResult> batched;
        try (GhostNetSession session = model.newSession(TestInputs.small(2, 2))) {
            batched = session.classify(images, 3);
        }
        assertEquals(5, batched.size());
        try (GhostNetSession single = model.newSession(TestInputs.small(1, 1))) {
            for (int i = 0; i < images.size(); i++) {
                Classification one = single.classify(images.get(i), 3);
                Classification fromBatch = batched.get(i).get();
                assertEquals(images.get(i).toString(), fromBatch.source());
                assertEquals(indices(one), indices(fromBatch), "image " + i);
                for (int k = 0; k < 3; k++) {
                    assertEquals(one.top().get(k).probability(), fromBatch.top().get(k).probability(), 1e-6,
                            "image " + i + ", rank " + k);
                }
            }
        }
    }

    @Test
    void aBadFileInABatchIsReportedInItsPlaceAndTheOthersAreClassified(@TempDir Path dir) throws Exception {
        Path cat = TestInputs.chelsea();
        Path broken = Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path missing = dir.resolve("missing.jpg");
        try (GhostNetSession session = model.newSession(TestInputs.small(2, 1))) {
            Classification c = session.classify(cat, 2);
            assertEquals(cat.toString(), c.source());
            List<ImageResult> results = session.classify(List.of(cat, broken, cat, missing, cat), 2);
            assertEquals(5, results.size());
            for (int i : new int[] {0, 2, 4}) {
                assertEquals(indices(c), indices(results.get(i).get()), "result " + i);
                assertEquals(cat.toString(), results.get(i).source());
            }
            for (int i : new int[] {1, 3}) {
                ImageResult.Failed failed = assertInstanceOf(ImageResult.Failed.class, results.get(i));
                Path bad = i == 1 ? broken : missing;
                assertEquals(bad.toString(), failed.source());
                assertTrue(failed.error().getMessage().contains(bad.getFileName().toString()), failed.error().getMessage());
                assertThrows(ImageReadException.class, results.get(i)::get);
            }
            ImageReadException e = assertThrows(ImageReadException.class, () -> session.classify(broken, 2));
            assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        }
    }

    @Test
    void thousandClassModelsUseImageNetLabels() {
        try (GhostNet imagenet = GhostNet.seeded(0.5, 1000, 9);
             GhostNetSession session = imagenet.newSession(TestInputs.small(1, 1))) {
            assertTrue(imagenet.isUntrained());
            assertEquals("tabby", imagenet.label(281));
            for (Prediction p : session.classify(TestInputs.image(40, 40, 1), 5).top()) {
                assertEquals(ImageNetLabels.get(p.index()), p.label());
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        try (GhostNetSession session = model.newSession(TestInputs.small(1, 1))) {
            assertThrows(IllegalArgumentException.class, () -> session.classify(ImageTensor.nchw(TestInputs.nchw(1, 1)), 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.classify(ImageTensor.nchw(new float[3 * 32 * 31]), 1));
            assertTrue(e.getMessage().contains("3 x 32 x 32"), e.getMessage());
            assertEquals(10, session.classify(ImageTensor.nchw(TestInputs.nchw(1, 1)), 50).getFirst().top().size(), "k capped at classes");
        }
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.defaults().withBatchCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.defaults().withThreads(0));
        assertThrows(IndexOutOfBoundsException.class, () -> model.label(10));
    }

    @Test
    void aLoadedCheckpointEqualsTheSeededModelItWasWrittenFrom(@TempDir Path dir) throws Exception {
        Path file = TestCheckpoints.writeSeeded(dir.resolve("ghostnet.safetensors"), new GhostNetConfig(0.5, 10), 3);
        float[] x = TestInputs.nchw(2, 8);
        try (GhostNet loaded = GhostNet.load(file);
             GhostNetSession fromFile = loaded.newSession(TestInputs.small(2, 1));
             GhostNetSession seeded = model.newSession(TestInputs.small(2, 1))) {
            assertFalse(loaded.isUntrained());
            assertEquals(0.5, loaded.width());
            assertEquals(10, loaded.numClasses());
            assertEquals(model.parameterCount(), loaded.parameterCount());
            assertArrayEquals(seeded.logits(x), fromFile.logits(x));
        }
    }

    @Test
    void theScalarKernelsGiveTheVectorKernelsLogits(@TempDir Path dir) throws Exception {
        Path file = TestCheckpoints.writeSeeded(dir.resolve("ghostnet.safetensors"), new GhostNetConfig(0.5, 10), 3);
        float[] x = TestInputs.nchw(2, 8);
        try (GhostNet scalar = GhostNet.load(file, LoadOptions.defaults().withKernels(KernelChoice.SCALAR));
             GhostNet auto = GhostNet.load(file, LoadOptions.defaults());
             GhostNetSession s = scalar.newSession(TestInputs.small(2, 1));
             GhostNetSession a = auto.newSession(TestInputs.small(2, 1))) {
            assertEquals("scalar", scalar.info().kernels());
            float[] expected = a.logits(x);
            float[] actual = s.logits(x);
            float scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(expected, actual, 1e-5f * Math.max(1, scale));
        }
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().withKernels(null));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F16", "BF16"})
    void halfPrecisionCheckpointsLoadAsTheirFloat32Values(DType dtype, @TempDir Path dir) throws Exception {
        GhostNetConfig config = new GhostNetConfig(0.5, 10);
        Path half = TestCheckpoints.writeSeeded(dir.resolve("half.safetensors"), config, 3, dtype, false);
        Path wide = TestCheckpoints.writeSeeded(dir.resolve("wide.safetensors"), config, 3, dtype, true);
        assertTrue(Files.size(half) < Files.size(wide) * 0.6, "the half file stores 2-byte elements");
        float[] x = TestInputs.nchw(2, 8);
        try (GhostNet a = GhostNet.load(half); GhostNet b = GhostNet.load(wide);
             GhostNetSession sa = a.newSession(TestInputs.small(2, 1)); GhostNetSession sb = b.newSession(TestInputs.small(2, 1))) {
            assertArrayEquals(sb.logits(x), sa.logits(x), 0f);
        }
    }

    @Test
    void aConfigJsonBesideTheCheckpointNamesTheClassesAndSetsThePreprocessing(@TempDir Path dir) throws Exception {
        Path file = TestCheckpoints.writeSeeded(dir.resolve("model.safetensors"), new GhostNetConfig(0.5, 3), 3);
        Files.writeString(dir.resolve("config.json"), """
                {"num_classes": 3, "label_names": ["cat", "dog", "bird"],
                 "pretrained_cfg": {"input_size": [3, 48, 48], "crop_pct": 0.75, "interpolation": "bicubic"}}""");
        try (GhostNet loaded = GhostNet.load(file)) {
            assertEquals(List.of("cat", "dog", "bird"), List.of(loaded.label(0), loaded.label(1), loaded.label(2)));
            assertEquals(new Preprocessing(64, 48, Interpolation.BICUBIC,
                    new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}), loaded.preprocessing());
            try (GhostNetSession session = loaded.newSession()) {
                assertEquals(48, session.config().inputHeight(), "sessions default to the model's own transform");
            }
        }
        Files.writeString(dir.resolve("config.json"), "{\"num_classes\": 1000}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> GhostNet.load(file));
        assertEquals(dir.resolve("config.json") + " declares 1000 classes but " + file + " has 3", e.getMessage());
    }

    @Test
    void aMissingCheckpointIsACheckedErrorNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("ghostnet_100.pth");
        Exception e = assertThrows(ModelLoadException.class, () -> GhostNet.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void useAfterCloseThrows() throws IOException {
        GhostNet own = GhostNet.seeded(0.5, 10, 4);
        GhostNetSession closedSession = own.newSession(TestInputs.small(1, 1));
        closedSession.close();
        closedSession.close();
        assertThrows(IllegalStateException.class, () -> closedSession.logits(TestInputs.nchw(1, 1)));
        assertThrows(IllegalStateException.class, () -> closedSession.classify(TestInputs.chelsea(), 1));

        GhostNetSession orphan = own.newSession(TestInputs.small(1, 1));
        own.close();
        own.close();
        assertThrows(IllegalStateException.class, () -> orphan.logits(TestInputs.nchw(1, 1)));
        assertThrows(IllegalStateException.class, () -> orphan.classify(TestInputs.image(8, 8, 1), 1));
        assertThrows(IllegalStateException.class, own::newSession);
        orphan.close();
        try (GhostNetSession other = model.newSession(TestInputs.small(1, 1))) {
            assertEquals(1, other.classify(ImageTensor.nchw(TestInputs.nchw(1, 2)), 1).size(), "other models are unaffected");
        }
    }

    private static List<Integer> indices(Classification c) {
        return c.top().stream().map(Prediction::index).toList();
    }

    private static double[] softmax(float[] logits, int offset, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) max = Math.max(max, logits[offset + i]);
        double[] p = new double[classes];
        double sum = 0;
        for (int i = 0; i < classes; i++) sum += p[i] = Math.exp(logits[offset + i] - max);
        for (int i = 0; i < classes; i++) p[i] /= sum;
        return p;
    }
}

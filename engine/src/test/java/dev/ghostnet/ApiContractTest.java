package dev.ghostnet;

import dev.ghostnet.engine.io.TestCheckpoints;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.Layouts;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input form gives the same answer as the reference one (NCHW float[], an image file), feature maps
 * equal the engine's own, and null, NaN and closed models behave as the Javadoc says.
 */
class ApiContractTest {
    private static GhostNet model;

    @BeforeAll
    static void loadModel() {
        model = GhostNet.seeded(0.5, 10, 5, new PoolConfig(2, TestInputs.small(2, 1)));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    /** NCHW (n, c, y, x) to NHWC (n, y, x, c) for 32x32 images. */
    private static float[] toNhwc(float[] nchw) {
        int images = nchw.length / (3 * 32 * 32);
        float[] nhwc = new float[nchw.length];
        for (int n = 0; n < images; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        nhwc[((n * 32 + y) * 32 + x) * 3 + c] = nchw[((n * 3 + c) * 32 + y) * 32 + x];
        return nhwc;
    }

    @Test
    void everyTensorFormGivesTheSameLogits() {
        float[] nchw = TestInputs.nchw(3, 21);
        float[] nhwc = toNhwc(nchw);
        float[] expected = model.logits(nchw);
        assertEquals(30, expected.length);
        assertArrayEquals(expected, model.logits(ImageTensor.nhwc(nhwc)), "NHWC float[]");
        assertArrayEquals(expected, model.logits(ImageTensor.of(FloatBuffer.wrap(nchw), Layout.NCHW)), "heap buffer");
        ByteBuffer big = ByteBuffer.allocateDirect(nhwc.length * 4 + 8).order(ByteOrder.BIG_ENDIAN);
        big.position(8);
        FloatBuffer bigEndian = big.slice().order(ByteOrder.BIG_ENDIAN).asFloatBuffer().put(nhwc).flip();
        assertArrayEquals(expected, model.logits(ImageTensor.of(bigEndian, Layout.NHWC)), "direct big-endian buffer");
        assertEquals(0, bigEndian.position(), "the buffer's position is not moved");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate((long) nchw.length * 4);
            MemorySegment.copy(nchw, 0, segment, ValueLayout.JAVA_FLOAT, 0, nchw.length);
            assertArrayEquals(expected, model.logits(ImageTensor.of(segment, Layout.NCHW)), "off-heap segment");
        }
        float[] out = new float[40];
        assertEquals(3, model.logits(nchw, out));
        assertArrayEquals(expected, java.util.Arrays.copyOf(out, 30), "into a caller array");
        try (GhostNetSession one = model.newSession(TestInputs.small(1, 1))) {
            // Another batch size is another plan, whose kernels may sum in another order: equal to rounding.
            assertArrayEquals(expected, one.logits(nchw), 1e-4f, "three images through a batch-1 session");
        }
    }

    @Test
    void featureMapsAreTheEnginesInTheInputsLayout() {
        float[] nchw = TestInputs.nchw(2, 22);
        List<FeatureMap> fromNchw = model.features(ImageTensor.nchw(nchw));
        List<FeatureMap> fromNhwc = model.features(ImageTensor.nhwc(toNhwc(nchw)));
        assertEquals(List.of(8, 16, 32), fromNchw.stream().map(FeatureMap::stride).toList());
        try (GhostNetModel engine = GhostNetModel.seeded(new GhostNetConfig(0.5, 10), 5, KernelProvider.get());
             InferenceSession session = new InferenceSession(engine, new SessionOptions(2, 32, 32, 1))) {
            Layouts.copyFromNchw(nchw, session.input());
            session.run();
            for (int m = 0; m < 3; m++) {
                var reference = session.features().get(m);
                FeatureMap a = fromNchw.get(m);
                FeatureMap b = fromNhwc.get(m);
                assertEquals(reference.stage(), a.stage());
                assertEquals(2, a.images());
                assertEquals(32 / a.stride(), a.height());
                assertEquals(Layout.NCHW, a.layout());
                assertEquals(Layout.NHWC, b.layout());
                assertArrayEquals(Layouts.toNchw(reference.tensor()), a.values(), "stride " + a.stride() + " NCHW");
                assertArrayEquals(reference.tensor().toArray(), b.values(), "stride " + b.stride() + " NHWC");
            }
        }
    }

    @Test
    void everyImageFormGivesTheSameClassification(@TempDir Path dir) throws Exception {
        BufferedImage picture = TestInputs.image(45, 38, 3);
        Path file = dir.resolve("picture.png");
        ImageIO.write(picture, "png", file.toFile());
        byte[] bytes = Files.readAllBytes(file);
        List<Prediction> expected = model.classify(file, 4).top();
        assertEquals(expected, model.classify(bytes, 4).top(), "byte[]");
        assertEquals(expected, model.classify(new ByteArrayInputStream(bytes), 4).top(), "InputStream");
        assertEquals(expected, model.classify(picture, 4).top(), "BufferedImage");
        assertEquals("image bytes", model.classify(bytes, 1).source());
        ImageReadException e = assertThrows(ImageReadException.class,
                () -> model.classify(new byte[] {'G', 'I', 'F', '8', '9', 'a', 0, 0}, 1));
        assertTrue(e.getMessage().contains("image bytes") && e.getMessage().contains("GIF"), e.getMessage());
    }

    @Test
    void checkpointsLoadFromBytesAndStreamsAsFromFiles(@TempDir Path dir) throws Exception {
        Path file = TestCheckpoints.writeSeeded(dir.resolve("ghostnet.safetensors"), new GhostNetConfig(0.5, 10), 5);
        float[] x = TestInputs.nchw(1, 23);
        byte[] bytes = Files.readAllBytes(file);
        PoolConfig pool = new PoolConfig(1, TestInputs.small(2, 1));
        try (GhostNet fromBytes = GhostNet.load(bytes, pool);
             GhostNet fromStream = GhostNet.load(new ByteArrayInputStream(bytes), pool)) {
            assertArrayEquals(model.logits(x), fromBytes.logits(x));
            assertArrayEquals(model.logits(x), fromStream.logits(x));
            assertEquals("checkpoint bytes", fromBytes.info().origin());
            assertEquals("checkpoint stream", fromStream.info().origin());
        }
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> GhostNet.load(truncated));
        assertTrue(e.getMessage().startsWith("checkpoint bytes"), e.getMessage());
        assertTrue(!e.getMessage().contains("ghostnet-"), "no temporary file name: " + e.getMessage());
    }

    @Test
    void nullsAreNamedAndNanInputIsRefusedByLogitsAsByClassify() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> model.classify((Path) null, 5));
        assertEquals("image must not be null", npe.getMessage());
        assertThrows(NullPointerException.class, () -> model.classify((List<Path>) null, 5));
        assertThrows(NullPointerException.class, () -> model.logits((float[]) null));
        assertThrows(NullPointerException.class, () -> model.logits((ImageTensor) null));
        float[] x = TestInputs.nchw(2, 24);
        x[3 * 32 * 32 + 2 * 32 * 32 + 5 * 32 + 7] = Float.NaN; // image 1, channel 2, row 5, column 7
        String expected = "input value of image 1 at channel 2, row 5, column 7 is NaN";
        IllegalArgumentException logits = assertThrows(IllegalArgumentException.class, () -> model.logits(x));
        assertTrue(logits.getMessage().startsWith(expected), logits.getMessage());
        IllegalArgumentException classify = assertThrows(IllegalArgumentException.class,
                () -> model.classify(ImageTensor.nchw(x), 1));
        assertEquals(logits.getMessage(), classify.getMessage());
        IllegalArgumentException nhwc = assertThrows(IllegalArgumentException.class,
                () -> model.logits(ImageTensor.nhwc(toNhwc(x))));
        assertEquals(logits.getMessage(), nhwc.getMessage());
    }

    @Test
    void aClosedModelRefusesEverything() throws Exception {
        GhostNet closed = GhostNet.seeded(0.5, 10, 6, new PoolConfig(1, TestInputs.small(1, 1)));
        closed.logits(TestInputs.nchw(1, 1));
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, closed::numClasses);
        assertThrows(IllegalStateException.class, () -> closed.label(3));
        assertThrows(IllegalStateException.class, closed::info);
        assertThrows(IllegalStateException.class, closed::isUntrained);
        assertThrows(IllegalStateException.class, () -> closed.logits(TestInputs.nchw(1, 1)));
        assertThrows(IllegalStateException.class, () -> closed.classify(TestInputs.chelsea(), 1));
        assertThrows(IllegalStateException.class, () -> closed.plan(1, 32, 32, 1));
        assertTrue(closed.toString().contains("seeded"));
    }

    @Test
    void thePlanAndTheMetadataDescribeTheModel() {
        ModelInfo info = model.info();
        assertEquals(0.5, info.width());
        assertEquals(10, info.numClasses());
        assertTrue(info.untrained());
        Plan plan = model.plan(1, 224, 224, 1);
        assertEquals(info.parameterCount(), plan.parameters());
        assertEquals("stem", plan.steps().getFirst().layer());
        assertEquals("112x112x8", plan.steps().getFirst().outputShape());
        assertTrue(plan.activationBytes() > 0);
        try (GhostNet full = GhostNet.seeded(1.0, 1000, 1)) {
            Plan fullPlan = full.plan(1, 224, 224, 1);
            assertEquals("112x112x16", fullPlan.steps().getFirst().outputShape());
            assertEquals(141.15, fullPlan.macsPerImage() / 1e6, 0.005, "the paper's MACs");
            assertEquals(5_182_508, full.parameterCount());
        }
    }
}

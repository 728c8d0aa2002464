package dev.ghostnet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images preprocessed one by one into a caller's batch ({@link GhostNetSession#preprocess}) and run with
 * {@link GhostNetSession#logits(ImageTensor, float[])}, turned into classes by {@link GhostNet#classification}:
 * the same classes and probabilities as {@code classify} of each image.
 */
class PreprocessedBatchTest {
    private static final int IMAGES = 5;
    private static GhostNet model;

    @BeforeAll
    static void loadModel() {
        model = GhostNet.seeded(0.5, 10, 11);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void aGatheredBatchGivesWhatClassifyGivesForTheSameFiles(@TempDir Path dir) throws Exception {
        int crop = TestInputs.SMALL.crop();
        int floats = crop * crop * 3;
        List<Path> files = new ArrayList<>();
        BufferedImage[] images = new BufferedImage[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            images[i] = TestInputs.image(45 + 3 * i, 40 + i, 100 + i);
            files.add(dir.resolve("image" + i + ".png"));
            ImageIO.write(images[i], "png", files.get(i).toFile());
        }
        try (GhostNetSession session = model.newSession(TestInputs.small(IMAGES, 1))) {
            float[] batch = new float[IMAGES * floats];
            float[] fromImages = new float[IMAGES * floats];
            for (int i = 0; i < IMAGES; i++) {
                session.preprocess(Files.readAllBytes(files.get(i)), batch, i * floats);
                session.preprocess(images[i], fromImages, i * floats);
            }
            assertArrayEquals(batch, fromImages, "a PNG's bytes and its decoded image preprocess alike");
            float[] logits = new float[IMAGES * 10];
            assertEquals(IMAGES, session.logits(ImageTensor.nhwc(batch), logits));
            // classify of a list runs the same batch: the results are the same bits.
            List<ImageResult> classified = session.classify(files, 4);
            for (int i = 0; i < IMAGES; i++) {
                Classification gathered = model.classification(logits, i * 10, 4, "image " + i);
                assertEquals("image " + i, gathered.source());
                assertEquals(classified.get(i).get().top(), gathered.top(), "image " + i);
                assertTrue(gathered.top().get(1).probability() > 0, "not one-hot: " + gathered.top());
            }
        }
    }

    @Test
    void aCorruptImageFailsAloneAndBadArgumentsAreNamed() throws Exception {
        int floats = TestInputs.SMALL.crop() * TestInputs.SMALL.crop() * 3;
        try (GhostNetSession session = model.newSession(TestInputs.small(1, 1))) {
            byte[] truncated = java.util.Arrays.copyOf(png(TestInputs.image(40, 40, 1)), 60);
            assertThrows(ImageReadException.class, () -> session.preprocess(truncated, new float[floats], 0));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> session.preprocess(TestInputs.image(40, 40, 1), new float[floats], 1));
            float[] logits = new float[10];
            IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                    () -> model.classification(logits, 0, 0, "x"));
            assertTrue(k.getMessage().contains("topK"), k.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> model.classification(logits, 1, 3, "x"));
            logits[2] = Float.NaN;
            assertThrows(IllegalStateException.class, () -> model.classification(logits, 0, 3, "x"));
        }
        GhostNetSession closed = model.newSession(TestInputs.small(1, 1));
        closed.close();
        assertThrows(IllegalStateException.class,
                () -> closed.preprocess(TestInputs.image(40, 40, 1), new float[floats], 0));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}

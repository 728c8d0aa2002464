package dev.ghostnet.spark;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer on a few hundred real images in {@code local[2]}: the same classes as the command line on
 * the same files, corrupt files in their own rows, Spark's image struct as input, the optional outputs.
 */
class GhostNetClassifierTest {
    static final int IMAGES = 300;
    private static SparkSession spark;
    private static Path pngs;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.get();
        pngs = FashionPngs.directory(IMAGES);
    }

    static GhostNetClassifier classifier() {
        return new GhostNetClassifier().setWeights(FashionPngs.WEIGHTS.toString()).setTopK(3);
    }

    static Dataset<Row> files(Path dir) {
        return LocalSpark.get().read().format("binaryFile").option("pathGlobFilter", "*.png").load(dir.toString());
    }

    /** The scored rows by file name. */
    static Map<String, Row> byName(Dataset<Row> scored) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : scored.drop("content").collectAsList()) {
            String path = row.getAs("path");
            rows.put(path.substring(path.lastIndexOf('/') + 1), row);
        }
        return rows;
    }

    @Test
    void oneImagePerRunGivesTheCommandLinesClassesBitForBit() {
        // Batches of one on both sides run the very same computation per image: equal floats.
        Map<String, CliResults.Top> cli = byFileName(CliResults.classify(pngs, 3, 1, 1));
        Map<String, Row> rows = byName(classifier().setBatchSize(1).transform(files(pngs)));
        assertEquals(IMAGES, rows.size());
        assertEquals(IMAGES, cli.size());
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row row = e.getValue();
            assertNull(row.getAs("error"), e.getKey());
            CliResults.Top expected = cli.get(e.getKey());
            assertEquals(expected.labels(), row.getList(row.fieldIndex("labels")), e.getKey());
            assertEquals(expected.probabilities(), row.getList(row.fieldIndex("probabilities")), e.getKey());
        }
    }

    @Test
    void batchedScoringGivesTheCommandLinesClasses() {
        // The engine's kernels round differently with the batch's size and make-up, and Spark groups the files
        // otherwise than the command line does: the same classes, probabilities equal to float rounding.
        Map<String, CliResults.Top> cli = byFileName(CliResults.classify(pngs, 3, 16, 2));
        Map<String, Row> rows = byName(classifier().setBatchSize(16).transform(files(pngs)));
        assertEquals(IMAGES, rows.size());
        int correct = 0;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row row = e.getValue();
            CliResults.Top expected = cli.get(e.getKey());
            List<String> labels = row.getList(row.fieldIndex("labels"));
            List<Float> probabilities = row.getList(row.fieldIndex("probabilities"));
            assertEquals(expected.labels(), labels, e.getKey());
            for (int k = 0; k < labels.size(); k++) {
                assertEquals(expected.probabilities().get(k), probabilities.get(k), 1e-5, e.getKey() + " rank " + k);
            }
            correct += labels.getFirst().equals(expected.labels().getFirst()) ? 1 : 0;
        }
        assertEquals(IMAGES, correct);
    }

    @Test
    void corruptFilesGetAnErrorAndNullOutputsAndTheOthersAreScored(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        List<String> good = List.of("image-00000.png", "image-00001.png", "image-00002.png", "image-00003.png");
        for (String name : good) {
            Files.copy(pngs.resolve(name), dir.resolve(name));
        }
        byte[] png = Files.readAllBytes(pngs.resolve("image-00004.png"));
        Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve("noise.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Files.write(dir.resolve("cut.jpg.png"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
        Files.copy(pngs.resolve("image-00005.png"), dir.resolve("nulled.png"));
        // A null input (a file whose content went missing upstream) is a row error too.
        Dataset<Row> input = files(dir).withColumn("content", functions.when(functions.col("path").endsWith("nulled.png"),
                functions.lit(null).cast("binary")).otherwise(functions.col("content")));
        Map<String, Row> rows = byName(classifier().setBatchSize(3).transform(input));
        assertEquals(8, rows.size());
        Map<String, Row> clean = byName(classifier().setBatchSize(1).transform(files(pngs)));
        for (String name : good) {
            Row row = rows.get(name);
            assertNull(row.getAs("error"), name);
            assertEquals(clean.get(name).getList(clean.get(name).fieldIndex("labels")),
                    row.getList(row.fieldIndex("labels")), name);
        }
        for (String name : List.of("truncated.png", "noise.png", "cut.jpg.png", "nulled.png")) {
            Row row = rows.get(name);
            String error = row.getAs("error");
            assertNotNull(error, name);
            assertTrue(error.contains(name), "the error names the file: " + error);
            assertNull(row.getAs("labels"), name);
            assertNull(row.getAs("probabilities"), name);
        }
    }

    @Test
    void sparksImageStructGivesWhatTheEncodedFilesGive() {
        Dataset<Row> images = spark.read().format("image").option("dropInvalid", false).load(pngs.toString());
        Map<String, Row> fromStructs = scoredStructsByName(images);
        assertEquals(IMAGES, fromStructs.size());
        assertSameProbabilities(byName(classifier().setBatchSize(1).transform(files(pngs))), fromStructs);
    }

    @Test
    void colourImageStructsGiveWhatTheirFilesGive(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // RGB and RGBA PNGs: Spark's image source hands them over as BGR and BGRA structs, which must come back
        // to the same RGB the engine decodes from the files (a swap of R and B changes the probabilities).
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 6; i++) {
            int type = i % 2 == 0 ? java.awt.image.BufferedImage.TYPE_INT_RGB : java.awt.image.BufferedImage.TYPE_INT_ARGB;
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(30 + i, 28, type);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, 0xFF000000 | random.nextInt(1 << 24));
                }
            }
            javax.imageio.ImageIO.write(image, "png", dir.resolve("colour-" + i + ".png").toFile());
        }
        Map<String, Row> fromStructs = scoredStructsByName(spark.read().format("image").load(dir.toString()));
        for (Row row : fromStructs.values()) {
            assertTrue(row.<Row>getAs("image").<Integer>getAs("nChannels") >= 3, "a colour struct");
        }
        assertEquals(6, fromStructs.size());
        assertSameProbabilities(byName(classifier().setBatchSize(1).transform(files(dir))), fromStructs);
    }

    /** Spark's image structs scored one per batch, by the file name of their origin. */
    private Map<String, Row> scoredStructsByName(Dataset<Row> images) {
        Map<String, Row> byName = new HashMap<>();
        for (Row row : classifier().setInputCol("image").setBatchSize(1).transform(images).collectAsList()) {
            String origin = row.<Row>getAs("image").getAs("origin");
            byName.put(origin.substring(origin.lastIndexOf('/') + 1), row);
        }
        return byName;
    }

    /** Every file scored from its bytes has a struct row with no error and the same probabilities. */
    private static void assertSameProbabilities(Map<String, Row> fromBytes, Map<String, Row> fromStructs) {
        for (Map.Entry<String, Row> e : fromBytes.entrySet()) {
            Row struct = fromStructs.get(e.getKey());
            assertNull(struct.getAs("error"), e.getKey());
            assertEquals(e.getValue().getList(e.getValue().fieldIndex("probabilities")),
                    struct.getList(struct.fieldIndex("probabilities")), e.getKey());
        }
    }

    @Test
    void logitsAndPooledFeaturesAreVectorsConsistentWithTheClasses() {
        Dataset<Row> scored = classifier().setTopK(10).setLogitsCol("logits").setFeaturesCol("features")
                .transform(files(pngs).limit(40));
        List<Row> rows = scored.collectAsList();
        assertEquals(40, rows.size());
        for (Row row : rows) {
            Vector logits = row.getAs("logits");
            Vector features = row.getAs("features");
            assertEquals(10, logits.size());
            assertTrue(features.size() > 10, "one value per channel of the stride-32 map: " + features.size());
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits.toArray()) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits.toArray()) {
                sum += Math.exp(v - max);
            }
            List<Float> probabilities = row.getList(row.fieldIndex("probabilities"));
            assertEquals(Math.exp(logits.apply(logits.argmax()) - max) / sum, probabilities.getFirst(), 1e-6);
            double energy = 0;
            for (double v : features.toArray()) {
                assertTrue(Double.isFinite(v));
                energy += Math.abs(v);
            }
            assertTrue(energy > 0, "features are not all zero");
        }
    }

    private static Map<String, CliResults.Top> byFileName(Map<String, CliResults.Top> bySource) {
        Map<String, CliResults.Top> out = new HashMap<>();
        bySource.forEach((source, top) -> out.put(Path.of(source).getFileName().toString(), top));
        return out;
    }
}

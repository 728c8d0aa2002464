package dev.ghostnet.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad parameters and inputs are refused with a message that names them, before or when the job starts. */
class ParamsTest {
    private static void refused(String expected, Executable call) {
        Throwable e = assertThrows(Throwable.class, call);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        assertTrue(messages.toString().contains(expected), "expected '" + expected + "' in: " + messages);
    }

    @Test
    void outOfRangeNumbersAreRefusedWhenSet() {
        GhostNetClassifier c = new GhostNetClassifier();
        refused("topK given invalid value 0", () -> c.setTopK(0));
        refused("batchSize given invalid value -3", () -> c.setBatchSize(-3));
        refused("threadsPerTask given invalid value 0", () -> c.setThreadsPerTask(0));
        assertEquals(5, c.getTopK(), "the defaults stay");
        assertEquals(16, c.getBatchSize());
        assertEquals(1, c.getThreadsPerTask());
    }

    @Test
    void theSchemaIsCheckedBeforeAnyTaskRuns() throws Exception {
        Dataset<Row> files = GhostNetClassifierTest.files(FashionPngs.directory(GhostNetClassifierTest.IMAGES));
        StructType schema = files.schema();
        refused("the weights are not set", () -> new GhostNetClassifier().transformSchema(schema));
        GhostNetClassifier c = GhostNetClassifierTest.classifier();
        refused("input column 'pixels' does not exist", () -> c.copy(new org.apache.spark.ml.param.ParamMap())
                .setInputCol("pixels").transformSchema(schema));
        refused("input column 'length' is bigint; expected binary", () -> GhostNetClassifierTest.classifier()
                .setInputCol("length").transformSchema(schema));
        Dataset<Row> taken = files.withColumn("labels", functions.lit("x"));
        refused("output column 'labels' (labelsCol) exists already", () -> c.transform(taken));
        refused("probabilitiesCol 'labels' is also the name of another output column",
                () -> GhostNetClassifierTest.classifier().setProbabilitiesCol("labels").transformSchema(schema));
        refused("errorCol must name a column", () -> GhostNetClassifierTest.classifier().setErrorCol("")
                .transformSchema(schema));
        StructType out = GhostNetClassifierTest.classifier().setFeaturesCol("f").transformSchema(schema);
        assertEquals("array<string>", out.apply("labels").dataType().simpleString());
        assertEquals("array<float>", out.apply("probabilities").dataType().simpleString());
        assertEquals("vector", out.apply("f").dataType().simpleString());
        assertEquals("string", out.apply("error").dataType().simpleString());
    }

    @Test
    void missingOrBrokenWeightsStopTheJobWithTheReason(@TempDir Path dir) throws Exception {
        Dataset<Row> files = GhostNetClassifierTest.files(FashionPngs.directory(GhostNetClassifierTest.IMAGES));
        Path missing = dir.resolve("missing.safetensors");
        refused("weights " + missing + " is not a file",
                () -> new GhostNetClassifier().setWeights(missing.toString()).transform(files));
        refused("file:relative.safetensors is not a local path or file: URI",
                () -> new GhostNetClassifier().setWeights("file:relative.safetensors").transform(files));
        Path broken = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        refused("cannot load the model " + broken,
                () -> new GhostNetClassifier().setWeights(broken.toString()).transform(files).count());
    }

    @Test
    void tasksShareOneModelPerJvm() throws Exception {
        Dataset<Row> files = GhostNetClassifierTest.files(FashionPngs.directory(GhostNetClassifierTest.IMAGES));
        // A key of its own (the explicit config), scored by many partitions on two threads at once.
        GhostNetClassifier c = GhostNetClassifierTest.classifier().setConfig("file:" + FashionPngs.CONFIG);
        int before = ModelCache.loads();
        assertTrue(files.rdd().getNumPartitions() > 2, "more partitions than task threads");
        assertEquals(GhostNetClassifierTest.IMAGES, c.transform(files).filter("error is null").count());
        assertEquals(GhostNetClassifierTest.IMAGES, c.transform(files).filter("error is null").count());
        assertEquals(1, ModelCache.loads() - before, "one load for every task of both jobs");
    }
}

package dev.ghostnet.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Saved alone or inside a Pipeline and loaded back, the transformer has its parameters and scores alike. */
class PersistenceTest {
    @Test
    void aSavedAndReloadedPipelineGivesTheSameOutput(@TempDir Path dir) throws Exception {
        Path pngs = FashionPngs.directory(GhostNetClassifierTest.IMAGES);
        Dataset<Row> files = GhostNetClassifierTest.files(pngs);
        GhostNetClassifier original = GhostNetClassifierTest.classifier().setBatchSize(8).setTopK(4)
                .setLogitsCol("logits").setLabelsCol("top");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {original});
        String pipelinePath = dir.resolve("pipeline").toUri().toString();
        pipeline.write().save(pipelinePath);
        PipelineModel fitted = Pipeline.load(pipelinePath).fit(files);
        String modelPath = dir.resolve("model").toUri().toString();
        fitted.write().save(modelPath);
        PipelineModel reloaded = PipelineModel.load(modelPath);

        GhostNetClassifier stage = assertInstanceOf(GhostNetClassifier.class, reloaded.stages()[0]);
        assertEquals(original.uid(), stage.uid());
        assertEquals(original.getWeights(), stage.getWeights());
        assertEquals(4, stage.getTopK());
        assertEquals(8, stage.getBatchSize());
        assertEquals("logits", stage.getLogitsCol());
        assertEquals("top", stage.getLabelsCol());
        assertEquals("", stage.getFeaturesCol());

        Map<String, Row> expected = GhostNetClassifierTest.byName(original.transform(files));
        Map<String, Row> actual = GhostNetClassifierTest.byName(reloaded.transform(files));
        assertEquals(GhostNetClassifierTest.IMAGES, actual.size());
        assertEquals(expected, actual, "the same rows, bit for bit");
    }

    @Test
    void theTransformerAloneSavesAndLoads(@TempDir Path dir) throws Exception {
        GhostNetClassifier original = GhostNetClassifierTest.classifier().setThreadsPerTask(2).setConfig(
                FashionPngs.CONFIG.toString()).setErrorCol("why");
        LocalSpark.get(); // saving writes the metadata through the active session
        String path = dir.resolve("classifier").toString();
        original.write().save(path);
        GhostNetClassifier loaded = GhostNetClassifier.load(path);
        assertEquals(original.uid(), loaded.uid());
        assertEquals(2, loaded.getThreadsPerTask());
        assertEquals(FashionPngs.CONFIG.toString(), loaded.getConfig());
        assertEquals("why", loaded.getErrorCol());
        assertEquals(original.explainParams(), loaded.explainParams());
    }
}

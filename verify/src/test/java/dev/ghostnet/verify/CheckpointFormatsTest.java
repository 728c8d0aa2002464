package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The zip, legacy and safetensors checkpoints torch wrote of one model give bit-identical logits, for every width
 * of both versions' matrices (on the smallest case of each).
 */
class CheckpointFormatsTest {
    @ParameterizedTest(name = "{0} width {1}")
    @CsvSource({"V1, 0.5", "V1, 1.0", "V1, 1.3", "V2, 1.0", "V2, 1.3", "V2, 1.6"})
    void everyFormatLoadsToIdenticalLogits(GhostNetConfig.Version version, double widthMult) throws Exception {
        TestGoldens.Case small = Stream.concat(TestGoldens.MATRIX.stream(), TestGoldens.V2_MATRIX.stream())
                .filter(c -> c.version() == version && c.widthMult() == widthMult && c.batch() == 1)
                .min(Comparator.comparingInt(c -> c.height() * c.width())).orElseThrow();
        GoldenSet goldens = TestGoldens.setOf(small);
        GoldenCase c = TestGoldens.caseOf(small);
        Map<String, float[]> logits = new LinkedHashMap<>();
        for (String format : GoldenSet.CHECKPOINTS.keySet()) {
            try (GhostNetModel model = GhostNetModel.load(goldens.checkpoint(format), KernelProvider.get());
                 InferenceSession session = new InferenceSession(model,
                         new SessionOptions(c.batch(), c.height(), c.width(), 1))) {
                session.setInputNchw(c.input());
                logits.put(format, session.run().toArray());
            }
        }
        float[] zip = logits.get("zip");
        double[] reference = c.stage("logits").fp64();
        for (int i = 0; i < zip.length; i++) {
            assertTrue(Math.abs(zip[i] - reference[i]) < 1e-3, "zip logits are not this model's at " + i);
        }
        for (var e : logits.entrySet()) {
            assertArrayEquals(zip, e.getValue(), 0f, e.getKey() + " logits differ from zip's");
        }
    }
}

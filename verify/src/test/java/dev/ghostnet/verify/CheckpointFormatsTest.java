package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The zip, legacy and safetensors checkpoints torch wrote of one model give bit-identical logits. */
class CheckpointFormatsTest {
    @ParameterizedTest(name = "width {0}")
    @ValueSource(doubles = {0.5, 1.0, 1.3})
    void everyFormatLoadsToIdenticalLogits(double widthMult) throws Exception {
        GoldenSet goldens = TestGoldens.forWidth(widthMult);
        TestGoldens.Case small = TestGoldens.MATRIX.stream()
                .filter(c -> c.widthMult() == widthMult && c.height() == 32).findFirst().orElseThrow();
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

package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.model.FoldedWeights;
import dev.ghostnet.engine.model.SeededWeights;
import dev.ghostnet.engine.model.WeightBinder;
import dev.ghostnet.kernels.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planned, fused, buffer-reusing execution equals the naive graph on the same scalar kernels. */
class ExecutionPlanTest {

    @ParameterizedTest(name = "{0} width {1}, {2}x{3}, batch {4}, {5} threads")
    @CsvSource({
            "V1, 1.0, 32, 32, 1, 1",
            "V1, 0.5, 33, 47, 2, 2",
            "V1, 1.3, 19, 24, 3, 2",
            "V1, 1.0, 40, 40, 2, 2",
            "V1, 1.0, 64, 64, 3, 2",
            "V1, 1.0, 32, 32, 1, 3",
            // v2: odd maps everywhere (pooling floors, the gate upsamples back to the odd size); at least 33x33.
            "V2, 1.0, 65, 67, 1, 1",
            "V2, 0.5, 97, 71, 2, 2",
            "V2, 1.3, 64, 64, 3, 3",
    })
    void planMatchesNaiveGraph(GhostNetConfig.Version version, double width, int height, int widthPx, int batch,
                               int threads) throws Exception {
        GhostNetConfig config = new GhostNetConfig(version, width, 10);
        FoldedWeights weights;
        try (StateDict sd = SeededWeights.stateDict(config, 7)) {
            weights = WeightBinder.bind(sd, config);
        }
        try (Arena arena = Arena.ofConfined();
             GhostNetModel model = GhostNetModel.compile(weights, ScalarKernels.INSTANCE);
             InferenceSession session = new InferenceSession(model,
                     new SessionOptions(batch, height, widthPx, threads))) {
            float[] input = new float[batch * height * widthPx * 3];
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < input.length; i++) input[i] = (float) (random.nextDouble() * 4 - 2);
            session.input().copyFrom(input);
            Map<String, float[]> expected = new ReferenceForward(arena).run(weights, session.input());
            Map<String, float[]> observed = new LinkedHashMap<>();
            session.run((stage, output) -> observed.put(stage, output.toArray()));
            assertEquals(expected.keySet().stream().toList(), observed.keySet().stream().toList());
            for (String stage : expected.keySet()) {
                assertClose(stage, expected.get(stage), observed.get(stage));
            }
            float[] observedLogits = session.logits().toArray();
            session.run();
            assertClose("logits (plain run)", expected.get("logits"), session.logits().toArray());
            assertClose("logits (observed run)", expected.get("logits"), observedLogits);
        }
    }

    /** Same kernels, same order of operations per element: only the fused residual order may differ. */
    private static void assertClose(String stage, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, stage + ": length");
        double maxAbs = 0;
        for (float v : expected) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 0, stage + ": reference output is all zeros, test would be vacuous");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 + 1e-5 * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(stage + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }
}

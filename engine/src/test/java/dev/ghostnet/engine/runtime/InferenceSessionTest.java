package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession.StepInfo;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a session tells about its plan, and partial batches. */
class InferenceSessionTest {

    @Test
    void stepsAddUpToThePublishedFigures() {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, ScalarKernels.INSTANCE);
             InferenceSession session = new InferenceSession(model, new SessionOptions(1, 224, 224, 1))) {
            List<StepInfo> steps = session.steps();
            assertEquals(5_182_508L, steps.stream().mapToLong(StepInfo::parameters).sum());
            long macs = steps.stream().mapToLong(StepInfo::weightMacsPerImage).sum();
            assertTrue(Math.abs(macs - 141.15e6) < 0.005e6, "weight MACs " + macs + ", the paper says 141.15 M");
            assertEquals("stem", steps.getFirst().name());
            assertEquals("112x112x16", steps.getFirst().outputShape());
            assertEquals(3 * 16 * 9 + 2 * 16, steps.getFirst().parameters());
            assertEquals("classifier", steps.getLast().name());
            assertEquals("1x1x1000", steps.getLast().outputShape());
            StepInfo se = steps.stream().filter(s -> s.name().equals("blocks.3.0.se")).findFirst().orElseThrow();
            assertEquals("28x28x72", se.outputShape());
            assertEquals(2L * 72 * 20, se.weightMacsPerImage(), "the SE's two 1x1 convs on the pooled vector");
            assertTrue(se.macsPerImage() > se.weightMacsPerImage(), "the work estimate includes pooling and scaling");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.3})
    void stepParametersMatchTheStateDictAtOtherWidths(double width) {
        GhostNetConfig config = new GhostNetConfig(width, 10);
        try (GhostNetModel model = GhostNetModel.seeded(config, 1, ScalarKernels.INSTANCE);
             InferenceSession session = new InferenceSession(model, new SessionOptions(1, 32, 32, 1))) {
            assertEquals(model.parameterCount(), session.steps().stream().mapToLong(StepInfo::parameters).sum());
        }
    }

    /**
     * Batch 1 on several threads splits single images (pixels, rows, output features, and each large
     * squeeze-excite in two steps by hidden units and channels) in whole kernel blocks, so every output is
     * computed by the same operations as on one thread: the logits are bit-identical.
     */
    @Test
    void batchOneOnSeveralThreadsGivesTheOneThreadLogits() {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 5, KernelProvider.get())) {
            float[] input = new float[64 * 64 * 3];
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < input.length; i++) input[i] = (float) (random.nextDouble() * 4 - 2);
            float[] oneThread = null;
            for (int threads = 1; threads <= 3; threads++) {
                try (InferenceSession session = new InferenceSession(model, new SessionOptions(1, 64, 64, threads))) {
                    session.input().copyFrom(input);
                    float[] logits = session.run().toArray();
                    List<StepInfo> steps = session.steps();
                    long seSteps = steps.stream().filter(s -> s.name().equals("blocks.8.1.se")).count();
                    assertEquals(threads == 1 ? 1 : 2, seSteps, "steps of the 960->240 squeeze-excite");
                    assertEquals(model.parameterCount(), steps.stream().mapToLong(StepInfo::parameters).sum());
                    if (oneThread == null) {
                        assertTrue(maxAbs(logits) > 0, "all-zero logits would make the comparison vacuous");
                        oneThread = logits;
                    } else {
                        assertArrayEquals(oneThread, logits, threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void aPartialBatchRunsOnlyItsImages() {
        try (GhostNetModel model = GhostNetModel.seeded(new GhostNetConfig(0.5, 10), 2, ScalarKernels.INSTANCE);
             InferenceSession session = new InferenceSession(model, new SessionOptions(4, 32, 32, 2))) {
            float[] input = new float[4 * 32 * 32 * 3];
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < input.length; i++) input[i] = (float) (random.nextDouble() * 4 - 2);
            session.input().copyFrom(input);
            float[] full = session.run().toArray();

            session.logits().fill(-7f);
            float[] partial = session.run(3).toArray();
            assertArrayEquals(Arrays.copyOf(full, 30), Arrays.copyOf(partial, 30), 1e-6f * maxAbs(full));
            float[] untouched = new float[10];
            Arrays.fill(untouched, -7f);
            assertArrayEquals(untouched, Arrays.copyOfRange(partial, 30, 40), "image 3 was not run");

            assertThrows(IllegalArgumentException.class, () -> session.run(0));
            assertThrows(IllegalArgumentException.class, () -> session.run(5));
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) max = Math.max(max, Math.abs(v));
        return max;
    }
}

package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel path against PyTorch on the goldens matrix: all stages, the plain run's logits and
 * stride-8/16/32 features, and every image's top-5 (see {@link ParityCheck}, {@link Tolerance}).
 */
class ParityTest {
    static Stream<Arguments> pathsAndCases() {
        return KernelProvider.PATHS.stream().flatMap(path -> TestGoldens.MATRIX.stream().map(c -> Arguments.of(path, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathsAndCases")
    void engineMatchesPyTorchAtEveryStage(String path, TestGoldens.Case c) throws Exception {
        check(path, c);
    }

    /** Case {@code c} (of either version) on kernel path {@code path}, the checkpoint in torch's zip format. */
    static void check(String path, TestGoldens.Case c) throws Exception {
        var kernels = KernelPaths.of(path);
        GoldenSet goldens = TestGoldens.setOf(c);
        GoldenCase golden = TestGoldens.caseOf(c);
        // Batch 3 on 3 threads takes the whole-image-per-thread path, batch 1 on 2 the layer-split one.
        int threads = c.batch() == 3 ? 3 : 2;
        try (GhostNetModel model = GhostNetModel.load(goldens.checkpoint("zip"), kernels)) {
            assertEquals(new GhostNetConfig(c.version(), c.widthMult(), 1000), model.config());
            ParityReport report = ParityCheck.run(model, golden, goldens.featureStages(), Tolerance.DEFAULT, threads);
            TestGoldens.saveReport(path + "_" + c, report);
            assertEquals(21, report.stages().size(), report.table());
            assertEquals(3 + 1, report.outputs().size(), "three feature maps and the logits\n" + report.table());
            assertEquals(c.batch(), report.topK().size(), report.table());
            assertTrue(report.passed(), report.table());
        }
    }
}

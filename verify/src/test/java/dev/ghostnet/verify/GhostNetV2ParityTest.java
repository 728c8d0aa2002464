package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.kernels.KernelProvider;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GhostNet v2 against PyTorch, like {@link ParityTest} for v1: every stage, the plain run's logits and
 * stride-8/16/32 features, and every image's top-5, engine fp32 error within 4x PyTorch's own fp32 error vs fp64.
 * The whole {@link TestGoldens#V2_MATRIX} (widths 1.0/1.3/1.6 x 224, 256, 193x255 x batch 1 and 3) runs on the
 * machine's preferred path ({@link KernelProvider#get}); every other path runs two cases (widths 1.0 and 1.6, the odd
 * size at batch 1 and 224 at batch 3 on 3 threads). Measured on a loaded machine: the preferred path's 18 cases
 * took ~50 s, each further path 10-60 s (its first case the slowest: cold kernels).
 */
class GhostNetV2ParityTest {
    private static final List<TestGoldens.Case> OTHER_PATHS = List.of(
            new TestGoldens.Case(GhostNetConfig.Version.V2, 1.0, 1, 193, 255),
            new TestGoldens.Case(GhostNetConfig.Version.V2, 1.6, 3, 224, 224));

    static Stream<Arguments> pathsAndCases() {
        String preferred = KernelProvider.get().name();
        return KernelProvider.PATHS.stream().flatMap(path -> (path.equals(preferred)
                ? TestGoldens.V2_MATRIX : OTHER_PATHS).stream().map(c -> Arguments.of(path, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathsAndCases")
    void engineMatchesPyTorchAtEveryStage(String path, TestGoldens.Case c) throws Exception {
        assertTrue(TestGoldens.V2_MATRIX.contains(c), c + " is not in the v2 matrix the goldens are made for");
        ParityTest.check(path, c);
    }
}

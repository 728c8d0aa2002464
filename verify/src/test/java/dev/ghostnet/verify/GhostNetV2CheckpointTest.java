package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostnet.engine.io.CheckpointReader;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.model.WeightBinder;
import dev.ghostnet.kernels.KernelProvider;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * GhostNetV2 checkpoints torch itself wrote (the reference's timm layout, every format) bind to the engine's
 * v2 description: version, width and classes inferred, every key and shape expected, and each loads into a
 * runnable model (its logits against PyTorch's are {@link GhostNetV2ParityTest}'s subject).
 */
class GhostNetV2CheckpointTest {
    @Test
    void everyFormatBindsAsV2AndLoads() throws Exception {
        // 64x64, not 32x32: a 32x32 input leaves 1x1 maps at stride 32, which v2's 2x2 pool cannot take.
        GoldenSet goldens = PyTorchReference.makeGoldens(Path.of("target", "goldens-v2"),
                List.of("--version", "v2", "--width", "0.5", "--classes", "10", "--case", "1x64x64", "--no-fp64"));
        for (String format : GoldenSet.CHECKPOINTS.keySet()) {
            Path file = goldens.checkpoint(format);
            try (StateDict stateDict = CheckpointReader.read(file)) {
                assertEquals(new GhostNetConfig(GhostNetConfig.Version.V2, 0.5, 10),
                        WeightBinder.bind(stateDict).description().config(), format);
            }
            try (GhostNetModel model = GhostNetModel.load(file, KernelProvider.get())) {
                assertEquals(new GhostNetConfig(GhostNetConfig.Version.V2, 0.5, 10), model.config(), format);
            }
        }
    }
}

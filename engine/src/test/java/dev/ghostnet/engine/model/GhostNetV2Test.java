package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.ScalarKernels;
import dev.ghostnet.kernels.WindowDepthwiseConv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GhostNet v2 as described: timm's keys, shapes and parameter counts, and the kernels its layers compile to. */
class GhostNetV2Test {
    private static GhostNetConfig v2(double width) {
        return new GhostNetConfig(GhostNetConfig.Version.V2, width, GhostNetConfig.IMAGENET_CLASSES);
    }

    /** {@code sum(p.numel() for p in timm.create_model('ghostnetv2_100').parameters())} and its siblings. */
    @ParameterizedTest
    @CsvSource({"1.0, 6156908", "1.3, 8960404", "1.6, 12392698"})
    void parameterCountsAreTimms(double width, long parameters) {
        assertEquals(parameters, v2(width).describe().parameterCount());
    }

    @Test
    void theFourteenBlocksFromBlocks20OnGetTheDfcBranch() {
        Map<String, long[]> v1 = GhostNetConfig.imagenet(1.0).describe().stateDictShapes();
        Map<String, long[]> v2 = v2(1.0).describe().stateDictShapes();
        assertEquals(v1.size() + 14 * 15, v2.size());
        assertTrue(v2.keySet().containsAll(v1.keySet()));
        assertFalse(v2.containsKey("blocks.1.0.ghost1.short_conv.0.weight"));
        assertArrayEquals(new long[] {72, 24, 1, 1}, v2.get("blocks.2.0.ghost1.short_conv.0.weight"));
        assertArrayEquals(new long[] {72, 1, 1, 5}, v2.get("blocks.2.0.ghost1.short_conv.2.weight"));
        assertArrayEquals(new long[] {960, 1, 5, 1}, v2.get("blocks.8.3.ghost1.short_conv.4.weight"));
        assertArrayEquals(new long[] {960}, v2.get("blocks.8.3.ghost1.short_conv.5.running_var"));
        assertFalse(v2.containsKey("blocks.2.0.ghost2.short_conv.0.weight"));
    }

    @Test
    void theBranchPoolsThenRunsItsRectangularWindowsAndGatesTheGhostOutput() {
        ModelDescription d = v2(1.0).describe();
        assertEquals(new Op.AveragePool(24, 2, 2), d.layer("blocks.2.0.ghost1.attn.pool").op());
        assertEquals(new Op.Depthwise(72, new Op.Window(1, 5, 1, 0, 2), Activation.NONE),
                d.layer("blocks.2.0.ghost1.attn.horizontal").op());
        assertEquals(new Op.Depthwise(72, new Op.Window(5, 1, 1, 2, 0), Activation.NONE),
                d.layer("blocks.2.0.ghost1.attn.vertical").op());
        LayerSpec gate = d.layer("blocks.2.0.ghost1.attn.gate");
        assertEquals(new LayerSpec.Slice("blocks.2.0.ghost1", 0, 72), gate.output());
        assertEquals("blocks.2.0.ghost1.attn.vertical", gate.input().tensor());
        // An odd size floors when pooled: 28 -> 14 and 27 -> 13, both back to the ghost output's size by the gate.
        assertEquals(13, d.layer("blocks.2.0.ghost1.attn.pool").op().outputHeight(27));
    }

    @Test
    void theLoaderTellsV2FromV1ByItsKeys() throws CheckpointException {
        try (StateDict sd = SeededWeights.stateDict(new GhostNetConfig(GhostNetConfig.Version.V2, 1.3, 10), 4)) {
            assertEquals(new GhostNetConfig(GhostNetConfig.Version.V2, 1.3, 10), WeightBinder.bind(sd).description().config());
        }
        try (StateDict sd = SeededWeights.stateDict(new GhostNetConfig(1.3, 10), 4)) {
            assertEquals(new GhostNetConfig(1.3, 10), WeightBinder.bind(sd).description().config());
        }
    }

    @Test
    void aMissingShortConvKeyIsNamedAgainstV2() throws CheckpointException {
        Map<String, CheckpointTensor> tensors;
        try (StateDict sd = SeededWeights.stateDict(v2(1.0), 2)) {
            tensors = new LinkedHashMap<>(sd.tensors());
        }
        tensors.remove("blocks.6.3.ghost1.short_conv.3.running_mean");
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightBinder.bind(StateDict.of(tensors)));
        assertTrue(e.getMessage().contains("missing 1 key(s) of GhostNet v2")
                && e.getMessage().contains("blocks.6.3.ghost1.short_conv.3.running_mean"), e.getMessage());
    }

    @Test
    void aV2ModelCompilesWithWindowKernelsForTheDfcConvs() throws CheckpointException {
        FoldedWeights weights;
        try (StateDict sd = SeededWeights.stateDict(new GhostNetConfig(GhostNetConfig.Version.V2, 0.5, 10), 1)) {
            weights = WeightBinder.bind(sd);
        }
        try (GhostNetModel model = GhostNetModel.compile(weights, ScalarKernels.INSTANCE)) {
            int horizontal = model.description().layers().indexOf(model.description()
                    .layer("blocks.2.0.ghost1.attn.horizontal"));
            WindowDepthwiseConv op = model.kernel(horizontal, WindowDepthwiseConv.class);
            assertEquals(List.of(1, 5, 0, 2), List.of(op.kernelHeight(), op.kernelWidth(), op.padHeight(),
                    op.padWidth()));
        }
    }
}

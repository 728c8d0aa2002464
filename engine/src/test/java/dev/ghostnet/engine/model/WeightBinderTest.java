package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.DType;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightBinderTest {

    @Test
    void widthOneMatchesThePublishedParameterCount() {
        assertEquals(5_182_508, GhostNetConfig.imagenet(1.0).describe().parameterCount());
    }

    @Test
    void publishedChannelCountsAtWidthOne() {
        ModelDescription d = GhostNetConfig.imagenet(1.0).describe();
        assertEquals(new Op.Conv(3, 16, Op.Window.square(3, 2), Activation.RELU), d.layer("stem").op());
        assertEquals(new Op.Pointwise(24, 36, Activation.RELU), d.layer("blocks.3.0.ghost1.primary").op());
        assertEquals(new Op.Depthwise(72, Op.Window.square(5, 2), Activation.NONE), d.layer("blocks.3.0.conv_dw").op());
        assertEquals(new Op.SqueezeExcite(72, 20), d.layer("blocks.3.0.se").op());
        assertEquals(new Op.Pointwise(24, 40, Activation.NONE), d.layer("blocks.3.0.shortcut.pw").op());
        assertEquals(new Op.SqueezeExcite(960, 240), d.layer("blocks.8.3.se").op());
        assertEquals(new Op.Add(80), d.layer("blocks.8.3.shortcut").op());
        assertEquals(new Op.Pointwise(160, 960, Activation.RELU), d.layer("blocks.9.0").op());
        assertEquals(new Op.Linear(1280, 1000, Activation.NONE), d.layer("classifier").op());
        assertEquals(List.of("blocks.4.0", "blocks.6.4", "blocks.8.3"), d.stages().stream()
                .filter(s -> s.featureStride() > 0).map(ModelDescription.Stage::tensor).toList());
    }

    /** The official model's state_dict without num_batches_tracked, counted by timm's and Huawei's code. */
    @Test
    void widthOneHasTheOfficialKeys() {
        Map<String, long[]> shapes = GhostNetConfig.imagenet(1.0).describe().stateDictShapes();
        assertEquals(432, shapes.size());
        assertArrayEquals(new long[] {16, 3, 3, 3}, shapes.get("conv_stem.weight"));
        assertArrayEquals(new long[] {36}, shapes.get("blocks.3.0.ghost1.cheap_operation.1.running_var"));
        assertArrayEquals(new long[] {40, 24, 1, 1}, shapes.get("blocks.3.0.shortcut.2.weight"));
        assertArrayEquals(new long[] {1280, 960, 1, 1}, shapes.get("conv_head.weight"));
        assertEquals("classifier.bias", List.copyOf(shapes.keySet()).getLast());
    }

    @Test
    void makeDivisibleFollowsTheOfficialRounding() {
        assertEquals(8, GhostNetConfig.makeDivisible(16 * 0.5, 4));
        assertEquals(20, GhostNetConfig.makeDivisible(16 * 1.3, 4));
        assertEquals(1248, GhostNetConfig.makeDivisible(960 * 1.3, 4));
        assertEquals(4, GhostNetConfig.makeDivisible(1.0, 4));
        assertEquals(12, GhostNetConfig.makeDivisible(10.0, 4));
        // 9 rounds to 8, which is below 0.9 * 9 = 8.1, so the divisor is added once.
        assertEquals(12, GhostNetConfig.makeDivisible(9.0, 4));
        assertEquals(16, GhostNetConfig.makeDivisible(17.0, 4));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 1.3, 0.75, 2.0})
    void infersWidthAndClassesFromShapes(double width) throws Exception {
        GhostNetConfig config = new GhostNetConfig(width, 37);
        try (StateDict sd = SeededWeights.stateDict(config, 3)) {
            FoldedWeights w = WeightBinder.bind(sd);
            assertEquals(config, w.description().config());
        }
    }

    @Test
    void foldsBatchNormIntoTheStem() throws Exception {
        GhostNetConfig config = GhostNetConfig.imagenet(0.5);
        try (StateDict sd = SeededWeights.stateDict(config, 5)) {
            FoldedWeights w = WeightBinder.bind(sd);
            float[] conv = sd.tensor("conv_stem.weight").toFloatArray();
            float gamma = sd.tensor("bn1.weight").toFloatArray()[1];
            float beta = sd.tensor("bn1.bias").toFloatArray()[1];
            float mean = sd.tensor("bn1.running_mean").toFloatArray()[1];
            float var = sd.tensor("bn1.running_var").toFloatArray()[1];
            double scale = gamma / Math.sqrt(var + 1e-5);
            assertEquals(conv[27 + 4] * scale, w.conv(0, 0).weights()[27 + 4], 1e-6);
            assertEquals(beta - mean * scale, w.conv(0, 0).bias()[1], 1e-6);
        }
    }

    @Test
    void ignoresBatchCountersProfilerLeftoversAndDataParallelPrefix() throws Exception {
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        try (StateDict sd = SeededWeights.stateDict(GhostNetConfig.imagenet(0.5), 1)) {
            for (Map.Entry<String, CheckpointTensor> e : sd.tensors().entrySet()) {
                tensors.put("module." + e.getKey(), e.getValue());
            }
        }
        tensors.put("module.bn1.num_batches_tracked", new CheckpointTensor("bn1.num_batches_tracked", DType.I64,
                new long[0], MemorySegment.ofArray(new long[1])));
        tensors.put("total_ops", CheckpointTensor.ofFloats("total_ops", new long[] {1}, new float[1]));
        tensors.put("blocks.0.0.total_params", CheckpointTensor.ofFloats("x", new long[] {1}, new float[1]));
        FoldedWeights w = WeightBinder.bind(StateDict.of(tensors));
        assertEquals(0.5, w.description().config().width());
    }

    @Test
    void missingKeyIsNamed() {
        Map<String, CheckpointTensor> tensors = seededTensors();
        tensors.remove("blocks.3.0.se.conv_expand.bias");
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightBinder.bind(StateDict.of(tensors)));
        assertTrue(e.getMessage().contains("blocks.3.0.se.conv_expand.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void unexpectedKeyIsNamed() {
        Map<String, CheckpointTensor> tensors = seededTensors();
        tensors.put("blocks.3.0.extra.weight", CheckpointTensor.ofFloats("e", new long[] {2}, new float[2]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightBinder.bind(StateDict.of(tensors)));
        assertTrue(e.getMessage().contains("unexpected") && e.getMessage().contains("blocks.3.0.extra.weight"),
                e.getMessage());
    }

    @Test
    void wrongShapeNamesKeyExpectedAndFound() {
        Map<String, CheckpointTensor> tensors = seededTensors();
        String key = "blocks.6.2.ghost2.primary_conv.0.weight";
        long[] shape = tensors.get(key).shape();
        shape[1] += 1;
        tensors.put(key, CheckpointTensor.ofFloats(key, shape, new float[(int) (shape[0] * shape[1])]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightBinder.bind(StateDict.of(tensors)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        String expected = "[" + shape[0] + ", " + (shape[1] - 1) + ", 1, 1]";
        String found = "[" + shape[0] + ", " + shape[1] + ", 1, 1]";
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(found), e.getMessage());
    }

    @Test
    void nonFloatTensorIsRejectedByName() {
        Map<String, CheckpointTensor> tensors = seededTensors();
        String key = "classifier.bias";
        tensors.put(key, new CheckpointTensor(key, DType.I32, new long[] {1000}, MemorySegment.ofArray(new int[1000])));
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightBinder.bind(StateDict.of(tensors)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("I32"), e.getMessage());
    }

    @Test
    void explicitConfigMustMatch() {
        Map<String, CheckpointTensor> tensors = seededTensors();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> WeightBinder.bind(StateDict.of(tensors), GhostNetConfig.imagenet(1.0)));
        assertTrue(e.getMessage().contains("conv_stem.weight") || e.getMessage().contains("expected shape"),
                e.getMessage());
    }

    private static Map<String, CheckpointTensor> seededTensors() {
        try (StateDict sd = SeededWeights.stateDict(GhostNetConfig.imagenet(0.5), 9)) {
            return new LinkedHashMap<>(sd.tensors());
        } catch (CheckpointException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.ghostnet.engine.model;

import dev.ghostnet.kernels.Activation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A describer's wiring mistakes fail when the description is built, naming the layer. */
class ModelDescriptionTest {
    private static final GhostNetConfig CONFIG = new GhostNetConfig(1.0, 4);

    @Test
    void everyCheckpointKeyOnceAndTheLayerTableSumsToTheParameterCount() {
        ModelDescription d = GhostNetConfig.imagenet(1.0).describe();
        assertEquals(d.params().size(), d.stateDictShapes().size());
        long trainable = d.params().stream().filter(p -> p.role() != WeightSpec.Role.BN_MEAN
                && p.role() != WeightSpec.Role.BN_VARIANCE).mapToLong(WeightSpec.Param::elements).sum();
        assertEquals(trainable, d.parameterCount());
        assertEquals(101, d.layers().size());
        assertEquals(21, d.stages().size());
    }

    @Test
    void aLayerThatReadsATensorBeforeItIsWrittenIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> describe(
                layer("first", new LayerSpec.Slice("b", 0, 3), new LayerSpec.Slice("a", 0, 3)),
                layer("second", new LayerSpec.Slice("input", 0, 3), new LayerSpec.Slice("b", 0, 3))));
        assertTrue(e.getMessage().contains("first reads b before it is written"), e.getMessage());
    }

    @Test
    void aSliceBeyondItsTensorIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> describe(
                layer("wide", new LayerSpec.Slice("input", 0, 3), new LayerSpec.Slice("a", 2, 3))));
        assertTrue(e.getMessage().contains("wide uses a[2:5] of a tensor with 3 channels"), e.getMessage());
    }

    @Test
    void aSliceThatDoesNotMatchTheOpsChannelsIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LayerSpec("narrow",
                new Op.Pointwise(3, 3, Activation.NONE), List.of(), new LayerSpec.Slice("input", 0, 2),
                new LayerSpec.Slice("a", 0, 3), null));
        assertTrue(e.getMessage().startsWith("narrow: "), e.getMessage());
    }

    @Test
    void aRepeatedCheckpointKeyIsNamed() {
        WeightSpec w = new WeightSpec.Biased("conv", new long[] {3, 3, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> describe(
                new LayerSpec("one", new Op.Pointwise(3, 3, Activation.NONE), List.of(w),
                        new LayerSpec.Slice("input", 0, 3), new LayerSpec.Slice("a", 0, 3), null),
                new LayerSpec("two", new Op.Pointwise(3, 3, Activation.NONE), List.of(w),
                        new LayerSpec.Slice("a", 0, 3), new LayerSpec.Slice("b", 0, 3), null)));
        assertTrue(e.getMessage().contains("two repeats the checkpoint key conv.weight"), e.getMessage());
    }

    private static LayerSpec layer(String name, LayerSpec.Slice in, LayerSpec.Slice out) {
        return new LayerSpec(name, new Op.Pointwise(3, 3, Activation.NONE), List.of(), in, out, null);
    }

    private static ModelDescription describe(LayerSpec... layers) {
        return new ModelDescription(CONFIG, Map.of("input", 3, "a", 3, "b", 3), "input", "b", List.of(layers),
                List.of());
    }
}

package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.model.LayerSpec;
import dev.ghostnet.engine.model.Op;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.ScalarKernels;
import dev.ghostnet.kernels.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fused groups give the bits of the same steps run one after another, and never fuse what they may not. */
class FusedGroupTest {

    @ParameterizedTest(name = "{0} width {1}, {2}x{3}, batch {4}, {5} threads, {6} kernels")
    @CsvSource({
            "V1, 1.0, 224, 224, 1, 1, vector",
            "V1, 1.0, 224, 224, 1, 1, scalar",
            "V1, 1.3, 161, 97, 2, 1, vector",
            // Two threads, two images: each thread runs whole images through its own sub-plan's groups.
            "V1, 0.5, 120, 88, 2, 2, vector",
            "V2, 1.0, 129, 131, 1, 1, vector",
    })
    void fusedRunEqualsStepByStepBitForBit(GhostNetConfig.Version version, double width, int height, int widthPx,
                                           int batch, int threads, String kernels) {
        Kernels k = kernels.equals("scalar") ? ScalarKernels.INSTANCE : KernelProvider.get();
        try (GhostNetModel model = GhostNetModel.seeded(new GhostNetConfig(version, width, 10), 3, k);
             InferenceSession fused = new InferenceSession(model, new SessionOptions(batch, height, widthPx, threads));
             InferenceSession plain = new InferenceSession(model,
                     new SessionOptions(batch, height, widthPx, threads).withFusion(false))) {
            assertFalse(fused.fusedGroups().isEmpty(), "the case must fuse something, or it tests nothing");
            assertTrue(plain.fusedGroups().isEmpty());
            float[] input = new float[batch * height * widthPx * 3];
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < input.length; i++) input[i] = (float) (random.nextDouble() * 4 - 2);
            for (InferenceSession s : List.of(fused, plain)) {
                s.input().copyFrom(input);
                s.run();
            }
            assertBitsEqual("logits", plain.logits().toArray(), fused.logits().toArray());
            for (int f = 0; f < plain.features().size(); f++) {
                assertBitsEqual("features " + plain.features().get(f).stage(),
                        plain.features().get(f).tensor().toArray(), fused.features().get(f).tensor().toArray());
            }
        }
    }

    @Test
    void ghostNetV1GroupsFollowTheRules() {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, ScalarKernels.INSTANCE);
             InferenceSession session = new InferenceSession(model, new SessionOptions(1, 224, 224, 1))) {
            List<InferenceSession.StepInfo> steps = session.steps();
            List<InferenceSession.FusedGroupInfo> groups = session.fusedGroups();
            // The stem and the first bottleneck's two ghost modules; the shortcut add (in place) ends it.
            assertEquals(List.of("stem", "blocks.0.0.ghost1.primary", "blocks.0.0.ghost1.cheap",
                    "blocks.0.0.ghost2.primary", "blocks.0.0.ghost2.cheap"), names(steps, groups.getFirst()));
            // A stride-2 block: ghost1, the stride-2 depthwise and ghost2; the shortcut reads the block's input.
            assertEquals(List.of("blocks.1.0.ghost1.primary", "blocks.1.0.ghost1.cheap", "blocks.1.0.conv_dw",
                    "blocks.1.0.ghost2.primary", "blocks.1.0.ghost2.cheap"), names(steps, groups.get(1)));
            for (InferenceSession.FusedGroupInfo g : groups) {
                assertTrue(g.toStep() - g.fromStep() >= 2 && g.bandRows() >= 1, g.toString());
                for (int i = g.fromStep(); i < g.toStep(); i++) {
                    LayerSpec layer = model.description().layer(steps.get(i).name());
                    assertTrue(layer.op() instanceof Op.Pointwise || layer.op() instanceof Op.Depthwise
                            || layer.op() instanceof Op.Conv, layer.name() + " cannot run band by band");
                    assertTrue(steps.get(i).outputWidth() >= Fusion.MIN_WIDTH, layer.name());
                    for (int earlier = g.fromStep(); earlier < i; earlier++) {
                        LayerSpec e = model.description().layer(steps.get(earlier).name());
                        assertFalse(Fusion.overlaps(layer.output(), e.input())
                                || Fusion.overlaps(layer.output(), e.residual())
                                || Fusion.overlaps(layer.output(), e.output()),
                                layer.name() + " overwrites what " + e.name() + " reads or writes in the same group");
                    }
                }
            }
            for (InferenceSession.StepInfo s : steps) {
                assertFalse(s.description().startsWith("add"), "every identity shortcut folds: " + s.name());
                if (s.description().startsWith("squeeze-excite")) {
                    assertEquals(-1, s.fusedGroup(), s.name());
                }
            }
            // Each of the 11 identity shortcuts is added by the cheap depthwise conv before it.
            assertEquals(11, steps.stream().filter(s -> s.description().endsWith("+shortcut")).count());
        }
    }

    /**
     * The first ghost module (8 + 8 channels) folds its copy where the depthwise kernel pairs half vectors (512
     * bits): the 1x1 conv writes a scratch the cheap conv copies; with the scalar kernels nothing folds that way.
     */
    @Test
    void aGhostModuleOfHalfVectorsFoldsACopyOnlyWhereItsKernelPairsThem() {
        for (Kernels kernels : List.of(KernelProvider.of("vector-512"), ScalarKernels.INSTANCE)) {
            try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, kernels);
                 InferenceSession session = new InferenceSession(model, new SessionOptions(1, 224, 224, 1))) {
                List<String> copies = session.steps().stream().filter(s -> s.description().endsWith("+copy"))
                        .map(InferenceSession.StepInfo::name).toList();
                assertEquals(kernels == ScalarKernels.INSTANCE ? List.of() : List.of("blocks.0.0.ghost1.cheap"),
                        copies, kernels.name());
            }
        }
    }

    /** The last input row a window reads, by brute force over the output rows, against the formula. */
    @Test
    void windowRowsEndIsTheLastRowAWindowReadsPlusOne() {
        try (Arena arena = Arena.ofConfined()) {
            for (int[] c : new int[][] {{3, 1, 7}, {3, 2, 7}, {5, 2, 9}, {5, 1, 4}, {3, 2, 1}, {1, 1, 3}}) {
                int kernel = c[0], stride = c[1], inRows = c[2];
                int outRows = (inRows + 2 * (kernel / 2) - kernel) / stride + 1;
                Tensor in = Tensor.allocate(arena, 2, inRows, 1, 1);
                Tensor out = Tensor.allocate(arena, 2, outRows, 1, 1);
                int lastRead = -1;
                for (int rowEnd = 1; rowEnd <= 2 * outRows; rowEnd++) {
                    int n = (rowEnd - 1) / outRows;
                    int oh = (rowEnd - 1) % outRows;
                    for (int kh = 0; kh < kernel; kh++) {
                        int ih = oh * stride - kernel / 2 + kh;
                        if (ih >= 0 && ih < inRows) lastRead = Math.max(lastRead, n * inRows + ih);
                    }
                    assertEquals(lastRead + 1, RowStep.windowRowsEnd(rowEnd, in, out, kernel, stride),
                            kernel + "x" + kernel + "/" + stride + " over " + inRows + " rows, rowEnd " + rowEnd);
                }
            }
        }
    }

    private static List<String> names(List<InferenceSession.StepInfo> steps, InferenceSession.FusedGroupInfo g) {
        List<String> names = new ArrayList<>();
        for (int i = g.fromStep(); i < g.toStep(); i++) {
            assertEquals(i, steps.indexOf(steps.get(i)));
            names.add(steps.get(i).name());
        }
        return names;
    }

    private static void assertBitsEqual(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " step by step " + expected[i] + ", fused "
                        + actual[i]);
            }
        }
    }
}

package dev.ghostnet.kernels;

import static dev.ghostnet.kernels.KernelAssertions.assertClose;
import static dev.ghostnet.kernels.KernelAssertions.copyWide;
import static dev.ghostnet.kernels.KernelAssertions.random;
import static dev.ghostnet.kernels.KernelAssertions.uniform;
import static dev.ghostnet.kernels.KernelAssertions.wide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GhostNet v2's window kernels at every vector width against the scalar family ({@link WindowReference}):
 * rectangular depthwise windows with per-axis padding (1x5, 5x1 and others, strides 1 and 2), 2x2/2 average pooling
 * on odd maps (the last row and column dropped), and the sigmoid gate upsampled to odd sizes (3 -> 7, 6 -> 13 ...),
 * over channel counts with tails at every width, channel-slice tensors, batch 2 and sub-ranges of rows. Outputs are
 * compared over the whole wider tensor, so a write outside the slice or the rows fails too.
 */
class VectorWindowKernelsTest {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final int[] CHANNELS = {1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 12, 36, 60, 100};
    private static final int[][] SPATIAL = {{1, 1}, {2, 3}, {5, 1}, {7, 7}, {13, 11}, {14, 16}};
    // kernel height, width, stride, pad height, pad width
    private static final int[][] WINDOWS = {{1, 5, 1, 0, 2}, {5, 1, 1, 2, 0}, {3, 3, 1, 1, 1}, {1, 3, 1, 0, 0},
            {3, 5, 2, 1, 2}, {5, 1, 2, 2, 0}, {2, 2, 1, 1, 0}};

    private Arena arena;
    private Random random;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        random = new Random(7);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void windowDepthwise(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int i = 0;
        for (int c : CHANNELS) {
            for (int[] hw : SPATIAL) {
                for (int[] win : WINDOWS) {
                    int oh = (hw[0] + 2 * win[3] - win[0]) / win[2] + 1;
                    int ow = (hw[1] + 2 * win[4] - win[1]) / win[2] + 1;
                    if (hw[0] + 2 * win[3] < win[0] || hw[1] + 2 * win[4] < win[1]) continue;
                    i++;
                    int batch = i % 3 == 0 ? 2 : 1;
                    int rows = batch * oh;
                    int from = i % 5 == 0 ? Math.min(1, rows) : 0;
                    int to = i % 5 == 0 ? Math.max(from, rows - 1) : rows;
                    checkDepthwise(vector, c, win, batch, hw[0], hw[1], oh, ow, i % 2 == 0 ? Activation.RELU
                            : Activation.NONE, i % 3, i % 4 >= 2, from, to);
                }
            }
        }
        // GhostNet v2's DFC shapes: the pooled maps of a 193x255 input at strides 8 and 16.
        checkDepthwise(vector, 36, WINDOWS[0], 3, 12, 16, 12, 16, Activation.NONE, 0, false, 0, 36);
        checkDepthwise(vector, 120, WINDOWS[1], 1, 6, 8, 6, 8, Activation.NONE, 0, true, 0, 6);
    }

    /** residual: 0 none, 1 a separate tensor, 2 the output itself. */
    private void checkDepthwise(Kernels vector, int c, int[] win, int batch, int h, int w, int oh, int ow,
                                Activation act, int residual, boolean strided, int from, int to) {
        String what = "depthwise " + win[0] + "x" + win[1] + " s" + win[2] + " pad (" + win[3] + ", " + win[4]
                + ") c=" + c + " " + batch + "x" + h + "x" + w + " " + act + " residual=" + residual
                + (strided ? " strided" : "") + " rows [" + from + ", " + to + ")";
        float[] weights = uniform(random, c * win[0] * win[1], 1.0 / Math.sqrt(win[0] * win[1]));
        float[] bias = uniform(random, c, 1);
        Tensor in = random(arena, random, batch, h, w, c, strided);
        Tensor outWide = wide(arena, random, batch, oh, ow, c, !strided);
        Tensor refWide = copyWide(arena, outWide);
        Tensor out = strided ? outWide : outWide.channelSlice(3, c);
        Tensor ref = strided ? refWide : refWide.channelSlice(3, c);
        Tensor res = residual == 1 ? random(arena, random, batch, oh, ow, c, strided) : null;
        WindowDepthwiseConv v = vector.windowDepthwise(arena, weights, bias, c, win[0], win[1], win[2], win[3], win[4],
                act);
        assertEquals(oh, v.outputHeight(h), what);
        assertEquals(ow, v.outputWidth(w), what);
        v.run(in, out, residual == 2 ? out : res, from, to);
        SCALAR.windowDepthwise(arena, weights, bias, c, win[0], win[1], win[2], win[3], win[4], act)
                .run(in, ref, residual == 2 ? ref : res, from, to);
        assertClose(what, vector.name(), refWide, outWide);
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void averagePool(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] spatial = {{2, 2}, {3, 3}, {2, 5}, {7, 7}, {13, 11}, {14, 16}, {25, 32}};
        int i = 0;
        for (int c : CHANNELS) {
            for (int[] hw : spatial) {
                for (int[] ks : new int[][] {{2, 2}, {3, 2}, {2, 1}}) {
                    if (hw[0] < ks[0] || hw[1] < ks[0]) continue;
                    i++;
                    checkPool(vector, c, ks[0], ks[1], i % 3 == 0 ? 2 : 1, hw[0], hw[1], i % 2 == 0, i % 5 == 0);
                }
            }
        }
        checkPool(vector, 16, 2, 2, 3, 97, 128, false, false);
    }

    private void checkPool(Kernels vector, int c, int kernel, int stride, int batch, int h, int w, boolean strided,
                           boolean subRange) {
        int oh = (h - kernel) / stride + 1;
        int ow = (w - kernel) / stride + 1;
        int rows = batch * oh;
        int from = subRange ? Math.min(1, rows) : 0;
        int to = subRange ? Math.max(from, rows - 1) : rows;
        String what = "average pool " + kernel + "/" + stride + " c=" + c + " " + batch + "x" + h + "x" + w
                + (strided ? " strided" : "") + " rows [" + from + ", " + to + ")";
        Tensor in = random(arena, random, batch, h, w, c, strided);
        Tensor outWide = wide(arena, random, batch, oh, ow, c, !strided);
        Tensor refWide = copyWide(arena, outWide);
        Tensor out = strided ? outWide : outWide.channelSlice(3, c);
        Tensor ref = strided ? refWide : refWide.channelSlice(3, c);
        vector.averagePool(in, out, kernel, stride, from, to);
        SCALAR.averagePool(in, ref, kernel, stride, from, to);
        assertClose(what, vector.name(), refWide, outWide);
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void sigmoidGate(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        // gate height, width -> x height, width: floor-pooled sizes upsampled back to the odd originals.
        int[][] sizes = {{1, 1, 1, 1}, {1, 1, 2, 3}, {3, 3, 7, 7}, {6, 5, 13, 11}, {7, 8, 14, 16}, {12, 16, 25, 32},
                {2, 3, 4, 6}, {3, 1, 7, 3}, {24, 31, 49, 63}};
        int i = 0;
        for (int c : CHANNELS) {
            for (int[] s : sizes) {
                i++;
                checkGate(vector, c, i % 3 == 0 ? 2 : 1, s, i % 2 == 0, i % 5 == 0);
            }
        }
        checkGate(vector, 48, 3, new int[] {48, 63, 97, 127}, false, false);
    }

    private void checkGate(Kernels vector, int c, int batch, int[] s, boolean strided, boolean subRange) {
        int rows = batch * s[2];
        int from = subRange ? Math.min(1, rows) : 0;
        int to = subRange ? Math.max(from, rows - 1) : rows;
        String what = "sigmoid gate " + s[0] + "x" + s[1] + " -> " + s[2] + "x" + s[3] + " c=" + c + " batch "
                + batch + (strided ? " strided" : "") + " rows [" + from + ", " + to + ")";
        Tensor gate = random(arena, random, batch, s[0], s[1], c, !strided);
        for (int n = 0; n < batch; n++) { // beyond [-1, 1]: saturating exps, and sigmoid's full range
            gate.set(n, 0, 0, 0, 30f);
            gate.set(n, s[0] - 1, s[1] - 1, c - 1, -30f);
        }
        Tensor xWide = wide(arena, random, batch, s[2], s[3], c, strided);
        Tensor refWide = copyWide(arena, xWide);
        Tensor x = strided ? xWide.channelSlice(3, c) : xWide;
        Tensor ref = strided ? refWide.channelSlice(3, c) : refWide;
        vector.sigmoidGateNearest(gate, x, from, to);
        SCALAR.sigmoidGateNearest(gate, ref, from, to);
        assertClose(what, vector.name(), refWide, xWide);
    }

    @Test
    void factoryNamesBadArguments() {
        for (Kernels k : new Kernels[] {SCALAR, KernelProvider.of("vector-256")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.windowDepthwise(arena, new float[8 * 5], new float[8], 8, 1, 5, 1, 0, 5, Activation.NONE));
            assertTrue(e.getMessage().contains("padding (0, 5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> k.windowDepthwise(arena, new float[8 * 4], new float[8], 8, 1, 5, 1, 0, 2, Activation.NONE));
            assertTrue(e.getMessage().contains("has 32 floats, expected 40"), e.getMessage());
        }
    }
}

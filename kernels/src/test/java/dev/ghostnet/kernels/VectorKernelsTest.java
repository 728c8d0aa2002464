package dev.ghostnet.kernels;

import static dev.ghostnet.kernels.KernelAssertions.assertClose;
import static dev.ghostnet.kernels.KernelAssertions.copyWide;
import static dev.ghostnet.kernels.KernelAssertions.random;
import static dev.ghostnet.kernels.KernelAssertions.uniform;
import static dev.ghostnet.kernels.KernelAssertions.wide;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every vector kernel against the scalar reference, at every vector width, over channel counts at the
 * vector and tile edges (1, 3, 7, 8, 15, 16, 17, 31, 33, 100) and GhostNet's own (12, 20, 36, 60, 92, 120,
 * 336, 480, 672, 960), odd spatial sizes, batch 2, strides 1 and 2, channel-slice inputs and outputs,
 * residual absent / separate / aliasing the output, and sub-ranges of pixels, rows or images. Outputs are
 * compared over the whole wider tensor, so a write outside the slice or range fails too.
 */
class VectorKernelsTest {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final int[][] SPATIAL = {{1, 1}, {2, 3}, {7, 7}, {13, 11}};

    private Arena arena;
    private Random random;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        random = new Random(42);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    enum Residual { NONE, SEPARATE, ALIAS }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void pointwise(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] channels = {{1, 1}, {3, 7}, {8, 8}, {15, 16}, {16, 17}, {17, 31}, {31, 33}, {33, 100}, {16, 8},
                {24, 12}, {40, 20}, {36, 60}, {16, 24}, {48, 12}, {72, 20}, {24, 36}, {184, 40}, {72, 92}, {100, 120}, {112, 336}, {160, 480}, {960, 1280}};
        int i = 0;
        for (int[] io : channels) {
            for (int[] hw : SPATIAL) {
                if (io[0] * io[1] > 50_000 && hw[0] * hw[1] > 6) continue;
                i++;
                int batch = i % 3 == 0 ? 2 : 1;
                Residual residual = Residual.values()[i % 3];
                Activation act = i % 2 == 0 ? Activation.RELU : Activation.NONE;
                boolean strided = i % 4 >= 2;
                long pixels = (long) batch * hw[0] * hw[1];
                long from = i % 5 == 0 ? Math.min(1, pixels) : 0;
                long to = i % 5 == 0 ? Math.max(from, pixels - 1) : pixels;
                checkPointwise(vector, io[0], io[1], batch, hw[0], hw[1], act, residual, strided, from, to);
            }
        }
        // Pixel counts around the tile sizes, GhostNet's largest map, and ReLU with every residual kind.
        for (int p = 1; p <= 17; p++) {
            checkPointwise(vector, 20, 36, 1, 1, p, Activation.NONE, Residual.ALIAS, p % 2 == 0, 0, p);
        }
        // Without a residual, the pixels left over after the 8-pixel tiles: ranges of every length around the
        // tile, starting at pixel 0 or 2, for blocks of two vectors, one full vector and a partial one (the pixels
        // outside the range must stay untouched).
        for (int p = 1; p <= 19; p++) {
            int from = p % 3 == 0 ? 2 : 0;
            for (int cout : new int[] {36, 16, 12, 20}) {
                checkPointwise(vector, 20, cout, 1, 1, p + from, p % 2 == 0 ? Activation.RELU : Activation.NONE,
                        Residual.NONE, p % 4 < 2, from, p + from);
            }
        }
        for (Residual r : Residual.values()) {
            checkPointwise(vector, 36, 40, 1, 5, 7, Activation.RELU, r, true, 2, 33);
            checkPointwise(vector, 33, 64, 2, 3, 5, Activation.NONE, r, false, 0, 30);
        }
        checkPointwise(vector, 16, 8, 1, 112, 112, Activation.RELU, Residual.NONE, true, 0, 112 * 112);
        // Half a vector of outputs (16->8: the diagonal tiles at 512 bits): pairs and a last pixel alone, ranges
        // starting at odd pixels, contiguous and sliced outputs; and from more inputs, which the 8x1 tiles serve.
        for (int p = 1; p <= 9; p++) {
            Activation act = p % 2 == 0 ? Activation.RELU : Activation.NONE;
            checkPointwise(vector, 16, 8, 1, 1, p, act, Residual.NONE, p % 3 == 0, p > 2 && p % 4 != 0 ? 1 : 0, p);
            checkPointwise(vector, 32, 8, 1, p, 1, act, Residual.NONE, p % 3 == 1, 0, p);
        }
        checkPointwise(vector, 48, 8, 2, 3, 5, Activation.RELU, Residual.NONE, false, 1, 29);
        checkPointwise(vector, 16, 8, 1, 112, 112, Activation.NONE, Residual.NONE, false, 0, 112 * 112);
    }

    /**
     * A widened output ({@link PointwiseConv#paddedOutChannels}): the layer's channels as the scalar twin computes
     * them, the padding zero or untouched, nothing written past it.
     */
    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void pointwiseIntoPaddedOutput(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int i = 0;
        for (int[] io : new int[][] {{16, 24}, {48, 12}, {24, 36}, {72, 20}, {40, 60}, {80, 100}, {16, 8}, {3, 5},
                {33, 17}, {16, 16}}) {
            for (int[] hw : SPATIAL) {
                i++;
                Activation act = i % 2 == 0 ? Activation.RELU : Activation.NONE;
                float[] weights = uniform(random, io[0] * io[1], 1 / Math.sqrt(io[0]));
                float[] bias = uniform(random, io[1], 1);
                PointwiseConv conv = vector.pointwise(arena, weights, bias, io[0], io[1], act);
                int padded = conv.paddedOutChannels();
                assertTrue(padded >= io[1] && padded < io[1] + bits / 32, io[1] + " padded to " + padded);
                int batch = i % 3 == 0 ? 2 : 1;
                long pixels = (long) batch * hw[0] * hw[1];
                long from = i % 4 == 1 ? Math.min(1, pixels) : 0;
                Tensor in = random(arena, random, batch, hw[0], hw[1], io[0], i % 2 == 1);
                Tensor outWide = random(arena, random, batch, hw[0], hw[1], padded + 5, false);
                Tensor refWide = copyWide(arena, outWide);
                conv.run(in, outWide.channelSlice(2, padded), null, from, pixels);
                SCALAR.pointwise(arena, weights, bias, io[0], io[1], act).run(in, refWide.channelSlice(2, io[1]), null,
                        from, pixels);
                for (long p = from; p < pixels; p++) {
                    for (int c = 2 + io[1]; c < 2 + padded; c++) {
                        int n = (int) (p / (hw[0] * hw[1])), y = (int) (p / hw[1] % hw[0]), x = (int) (p % hw[1]);
                        float v = outWide.get(n, y, x, c);
                        assertTrue(v == 0f || v == refWide.get(n, y, x, c), "padding channel " + c + " got " + v);
                        refWide.set(n, y, x, c, v);
                    }
                }
                assertClose("pointwise " + io[0] + "->" + io[1] + " into " + padded + " channels " + batch + "x" + hw[0]
                        + "x" + hw[1] + " " + act, vector.name(), refWide, outWide);
            }
        }
    }

    private void checkPointwise(Kernels vector, int cin, int cout, int batch, int h, int w, Activation act,
                                Residual residual, boolean strided, long from, long to) {
        String what = "pointwise " + cin + "->" + cout + " " + batch + "x" + h + "x" + w + " " + act + " residual="
                + residual + (strided ? " strided" : "") + " pixels [" + from + ", " + to + ")";
        float[] weights = uniform(random, cin * cout, 1 / Math.sqrt(cin));
        float[] bias = uniform(random, cout, 1);
        Tensor in = random(arena, random, batch, h, w, cin, strided);
        Tensor outWide = wide(arena, random, batch, h, w, cout, strided);
        Tensor refWide = copyWide(arena, outWide);
        Tensor out = strided ? outWide.channelSlice(3, cout) : outWide;
        Tensor ref = strided ? refWide.channelSlice(3, cout) : refWide;
        Tensor res = residual == Residual.SEPARATE ? random(arena, random, batch, h, w, cout, !strided) : null;
        vector.pointwise(arena, weights, bias, cin, cout, act).run(in, out, residual == Residual.ALIAS ? out : res,
                from, to);
        SCALAR.pointwise(arena, weights, bias, cin, cout, act).run(in, ref, residual == Residual.ALIAS ? ref : res,
                from, to);
        assertClose(what, vector.name(), refWide, outWide);
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void depthwise(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[] channels = {1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 12, 36, 60, 120, 336, 672};
        int i = 0;
        for (int c : channels) {
            for (int[] hw : SPATIAL) {
                for (int k : new int[] {3, 5}) {
                    for (int stride : new int[] {1, 2}) {
                        if (c > 120 && hw[0] * hw[1] > 6) continue;
                        i++;
                        int batch = i % 3 == 0 ? 2 : 1;
                        Residual residual = Residual.values()[i % 3];
                        Activation act = i % 2 == 0 ? Activation.RELU : Activation.NONE;
                        int outH = ConvGeometry.outputSize(hw[0], k, stride, k / 2);
                        int rows = batch * outH;
                        int from = i % 5 == 0 ? Math.min(1, rows) : 0;
                        int to = i % 5 == 0 ? Math.max(from, rows - 1) : rows;
                        checkDepthwise(vector, c, k, stride, batch, hw[0], hw[1], act, residual, i % 4 >= 2, from,
                                to);
                    }
                }
            }
        }
        checkDepthwise(vector, 8, 3, 1, 1, 112, 112, Activation.RELU, Residual.NONE, true, 0, 112);
        checkDepthwise(vector, 20, 3, 2, 2, 24, 31, Activation.NONE, Residual.SEPARATE, false, 3, 20);
        checkDepthwise(vector, 40, 5, 1, 1, 14, 16, Activation.NONE, Residual.ALIAS, true, 0, 14);
        // Kernel sizes GhostNet does not use take the generic row path.
        for (int k : new int[] {1, 7}) {
            for (int stride : new int[] {1, 2}) {
                checkDepthwise(vector, 17, k, stride, 2, 9, 5, Activation.RELU, Residual.SEPARATE, true, 1, 2 * 5 - 1);
                checkDepthwise(vector, 36, k, stride, 1, 3, 8, Activation.NONE, Residual.ALIAS, false, 0, 2);
            }
        }
    }

    private void checkDepthwise(Kernels vector, int c, int k, int stride, int batch, int h, int w, Activation act,
                                Residual residual, boolean strided, int from, int to) {
        String what = "depthwise " + k + "x" + k + " s" + stride + " c=" + c + " " + batch + "x" + h + "x" + w + " "
                + act + " residual=" + residual + (strided ? " strided" : "") + " rows [" + from + ", " + to + ")";
        int oh = ConvGeometry.outputSize(h, k, stride, k / 2);
        int ow = ConvGeometry.outputSize(w, k, stride, k / 2);
        float[] weights = uniform(random, c * k * k, 1.0 / k);
        float[] bias = uniform(random, c, 1);
        Tensor in = random(arena, random, batch, h, w, c, strided);
        Tensor outWide = wide(arena, random, batch, oh, ow, c, !strided);
        Tensor refWide = copyWide(arena, outWide);
        Tensor out = strided ? outWide : outWide.channelSlice(3, c);
        Tensor ref = strided ? refWide : refWide.channelSlice(3, c);
        Tensor res = residual == Residual.SEPARATE ? random(arena, random, batch, oh, ow, c, strided) : null;
        vector.depthwise(arena, weights, bias, c, k, stride, act).run(in, out, residual == Residual.ALIAS ? out : res,
                from, to);
        SCALAR.depthwise(arena, weights, bias, c, k, stride, act).run(in, ref, residual == Residual.ALIAS ? ref : res,
                from, to);
        assertClose(what, vector.name(), refWide, outWide);
    }

    /** The identity shortcut a stride-1 depthwise conv adds over its input as it reads it, at every channel tail. */
    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void depthwiseWithShortcut(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int i = 0;
        for (int c : new int[] {1, 4, 8, 12, 15, 16, 17, 20, 36, 40, 56, 80}) {
            for (int[] hw : SPATIAL) {
                for (int k : new int[] {3, 5}) {
                    i++;
                    int batch = i % 3 == 0 ? 2 : 1;
                    int rows = batch * hw[0];
                    int from = i % 4 == 0 ? Math.min(1, rows) : 0;
                    int to = i % 4 == 0 ? Math.max(from, rows - 1) : rows;
                    checkDepthwiseWithShortcut(vector, c, k, batch, hw[0], hw[1],
                            i % 2 == 0 ? Activation.RELU : Activation.NONE, i % 3 == 1, i % 5 != 2, from, to);
                }
            }
        }
        checkDepthwiseWithShortcut(vector, 8, 3, 1, 112, 112, Activation.NONE, true, true, 0, 112);
        checkDepthwiseWithShortcut(vector, 56, 3, 2, 14, 14, Activation.NONE, true, true, 5, 23);
        checkDepthwiseWithShortcut(vector, 8, 3, 1, 13, 11, Activation.RELU, false, false, 0, 13);
        // Half a vector per ghost half, a contiguous primary and whole 2c-channel pixels: the paired path.
        int half = bits / 64;
        for (int[] hw : new int[][] {{1, 1}, {2, 3}, {3, 2}, {7, 7}, {13, 11}, {6, 12}, {112, 112}}) {
            for (int batch = 1; batch <= 2; batch++) {
                i++;
                int rows = batch * hw[0];
                int from = i % 3 == 0 ? Math.min(1, rows) : 0;
                int to = i % 4 == 0 ? Math.max(from, rows - 1) : rows;
                checkPairedGhost(vector, half, batch, hw[0], hw[1], i % 2 == 0 ? Activation.RELU : Activation.NONE,
                        batch == 1 || i % 3 == 1, from, to);
            }
        }
    }

    private void checkPairedGhost(Kernels vector, int c, int batch, int h, int w, Activation act, boolean residuals,
                                  int from, int to) {
        String what = "paired ghost depthwise 3x3 + " + (residuals ? "shortcut" : "copy") + " c=" + c + " " + batch
                + "x" + h + "x" + w + " " + act + " rows [" + from + ", " + to + ")";
        float[] weights = uniform(random, c * 9, 1.0 / 3);
        float[] bias = uniform(random, c, 1);
        Tensor in = random(arena, random, batch, h, w, c, false);
        Tensor blockInput = random(arena, random, batch, h, w, 2 * c, false);
        Tensor out = random(arena, random, batch, h, w, 2 * c, false);
        Tensor ref = copyWide(arena, out);
        Tensor residual = residuals ? blockInput.channelSlice(c, c) : null;
        Tensor shortcut = residuals ? blockInput.channelSlice(0, c) : null;
        DepthwiseConv conv = vector.depthwise(arena, weights, bias, c, 3, 1, act);
        assertTrue(conv.pairsHalfVectors(), vector.name() + " pairs " + c + " channels");
        conv.runWithShortcut(in, out.channelSlice(c, c), residual, out.channelSlice(0, c), shortcut, from, to);
        SCALAR.depthwise(arena, weights, bias, c, 3, 1, act).runWithShortcut(in, ref.channelSlice(c, c), residual,
                ref.channelSlice(0, c), shortcut, from, to);
        assertClose(what, vector.name(), ref, out);
    }

    private void checkDepthwiseWithShortcut(Kernels vector, int c, int k, int batch, int h, int w, Activation act,
                                            boolean withResidual, boolean shortcutResidual, int from, int to) {
        String what = "depthwise " + k + "x" + k + (shortcutResidual ? " + shortcut" : " + copy") + " c=" + c + " "
                + batch + "x" + h + "x" + w + " " + act + (withResidual ? " +residual" : "") + " rows [" + from + ", "
                + to + ")";
        float[] weights = uniform(random, c * k * k, 1.0 / k);
        float[] bias = uniform(random, c, 1);
        // As in a ghost module: the conv reads the primary half and writes the cheap half of one wide tensor, the
        // shortcut goes to the primary half of another; the residuals are halves of the block input.
        Tensor in = random(arena, random, batch, h, w, c, true);
        Tensor blockInput = random(arena, random, batch, h, w, 2 * c, false);
        Tensor outWide = wide(arena, random, batch, h, w, 2 * c, true);
        Tensor refWide = copyWide(arena, outWide);
        Tensor residual = withResidual ? blockInput.channelSlice(c, c) : null;
        Tensor shortcut = shortcutResidual ? blockInput.channelSlice(0, c) : null;
        vector.depthwise(arena, weights, bias, c, k, 1, act).runWithShortcut(in, outWide.channelSlice(c + 3, c),
                residual, outWide.channelSlice(3, c), shortcut, from, to);
        SCALAR.depthwise(arena, weights, bias, c, k, 1, act).runWithShortcut(in, refWide.channelSlice(c + 3, c),
                residual, refWide.channelSlice(3, c), shortcut, from, to);
        assertClose(what, vector.name(), refWide, outWide);
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void dense(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] cases = { // cin, cout, k, stride, batch, h, w
                {3, 16, 3, 2, 1, 32, 32}, {3, 16, 3, 2, 2, 13, 11}, {3, 16, 3, 2, 1, 1, 1}, {3, 16, 3, 2, 1, 2, 3},
                {1, 1, 1, 1, 1, 7, 7}, {5, 20, 5, 1, 2, 7, 9}, {7, 33, 3, 1, 1, 13, 11}, {4, 17, 5, 2, 1, 13, 11},
                {16, 8, 3, 1, 1, 7, 7}, {3, 16, 3, 2, 2, 37, 53}, {3, 24, 3, 1, 1, 9, 21}, {3, 8, 5, 1, 1, 12, 30},
                {3, 16, 3, 2, 1, 224, 224}};
        int i = 0;
        for (int[] d : cases) {
            i++;
            Activation act = i % 2 == 0 ? Activation.NONE : Activation.RELU;
            boolean strided = i % 3 == 0;
            int oh = ConvGeometry.outputSize(d[5], d[2], d[3], d[2] / 2);
            int ow = ConvGeometry.outputSize(d[6], d[2], d[3], d[2] / 2);
            int rows = d[4] * oh;
            int from = i % 4 == 0 ? Math.min(1, rows) : 0;
            String what = "dense " + d[0] + "->" + d[1] + " " + d[2] + "x" + d[2] + " s" + d[3] + " " + d[4] + "x"
                    + d[5] + "x" + d[6] + " " + act + (strided ? " strided" : "") + " rows [" + from + ", " + rows + ")";
            float[] weights = uniform(random, d[0] * d[1] * d[2] * d[2], 1 / Math.sqrt(d[0] * d[2] * d[2]));
            float[] bias = uniform(random, d[1], 1);
            Tensor in = random(arena, random, d[4], d[5], d[6], d[0], strided);
            Tensor outWide = wide(arena, random, d[4], oh, ow, d[1], strided);
            Tensor refWide = copyWide(arena, outWide);
            Tensor out = strided ? outWide.channelSlice(3, d[1]) : outWide;
            Tensor ref = strided ? refWide.channelSlice(3, d[1]) : refWide;
            vector.dense(arena, weights, bias, d[0], d[1], d[2], d[3], act).run(in, out, from, rows);
            SCALAR.dense(arena, weights, bias, d[0], d[1], d[2], d[3], act).run(in, ref, from, rows);
            assertClose(what, vector.name(), refWide, outWide);
        }
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void squeezeExcite(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] cases = {{1, 1}, {8, 4}, {16, 4}, {17, 5}, {19, 6}, {72, 20}, {120, 32}, {480, 120}, {672, 168}, {960, 240}};
        int i = 0;
        for (int[] cr : cases) {
            for (int[] hw : SPATIAL) {
                if (cr[0] > 120 && hw[0] * hw[1] > 6) continue;
                i++;
                int batch = i % 2 == 0 ? 3 : 1;
                boolean strided = i % 3 == 0;
                int from = batch > 1 ? 1 : 0;
                String what = "squeeze-excite c=" + cr[0] + " r=" + cr[1] + " " + batch + "x" + hw[0] + "x" + hw[1]
                        + (strided ? " strided" : "") + " images [" + from + ", " + batch + ")";
                float[] rw = uniform(random, cr[0] * cr[1], 1 / Math.sqrt(cr[0]));
                float[] rb = uniform(random, cr[1], 1);
                float[] ew = uniform(random, cr[0] * cr[1], 3 / Math.sqrt(cr[1]));
                float[] eb = uniform(random, cr[0], 3);
                Tensor xWide = wide(arena, random, batch, hw[0], hw[1], cr[0], strided);
                Tensor refWide = copyWide(arena, xWide);
                Tensor x = strided ? xWide.channelSlice(3, cr[0]) : xWide;
                Tensor ref = strided ? refWide.channelSlice(3, cr[0]) : refWide;
                SqueezeExcite op = vector.squeezeExcite(arena, rw, rb, ew, eb, cr[0], cr[1]);
                op.run(x, from, batch, new float[op.scratchFloats()]);
                SqueezeExcite refOp = SCALAR.squeezeExcite(arena, rw, rb, ew, eb, cr[0], cr[1]);
                refOp.run(ref, from, batch, new float[refOp.scratchFloats()]);
                assertClose(what, vector.name(), refWide, xWide);
            }
        }
    }

    /** The halves split over 2 and 3 pieces as the engine splits them, against the scalar twin's whole run. */
    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void squeezeExciteSplitIntoPieces(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] cases = {{1, 1}, {17, 5}, {72, 20}, {480, 120}, {672, 168}, {960, 240}};
        for (int[] cr : cases) {
            for (int parts : new int[] {2, 3}) {
                boolean strided = parts == 3;
                int h = cr[0] > 120 ? 3 : 5;
                String what = "squeeze-excite c=" + cr[0] + " r=" + cr[1] + " in " + parts + " pieces, image 1 of 2, "
                        + h + "x" + h + (strided ? " strided" : "");
                float[] rw = uniform(random, cr[0] * cr[1], 1 / Math.sqrt(cr[0]));
                float[] rb = uniform(random, cr[1], 1);
                float[] ew = uniform(random, cr[0] * cr[1], 3 / Math.sqrt(cr[1]));
                float[] eb = uniform(random, cr[0], 3);
                Tensor xWide = wide(arena, random, 2, h, h, cr[0], strided);
                Tensor refWide = copyWide(arena, xWide);
                Tensor x = strided ? xWide.channelSlice(3, cr[0]) : xWide;
                Tensor ref = strided ? refWide.channelSlice(3, cr[0]) : refWide;
                SqueezeExcite op = vector.squeezeExcite(arena, rw, rb, ew, eb, cr[0], cr[1]);
                float[] hidden = new float[cr[1]];
                int align = op.splitAlignment();
                for (int part = 0; part < parts; part++) {
                    op.squeeze(x, 1, new float[op.scratchFloats()], hidden, pieceStart(cr[1], align, part, parts),
                            pieceStart(cr[1], align, part + 1, parts));
                }
                for (int part = parts - 1; part >= 0; part--) {
                    op.excite(x, 1, hidden, new float[op.scratchFloats()], pieceStart(cr[0], align, part, parts),
                            pieceStart(cr[0], align, part + 1, parts));
                }
                SqueezeExcite refOp = SCALAR.squeezeExcite(arena, rw, rb, ew, eb, cr[0], cr[1]);
                refOp.run(ref, 1, 2, new float[refOp.scratchFloats()]);
                assertClose(what, vector.name(), refWide, xWide);
            }
        }
    }

    /** Start of piece {@code part} of {@code n} outputs split in whole blocks of {@code align}. */
    private static int pieceStart(int n, int align, int part, int parts) {
        int blocks = (n + align - 1) / align;
        return Math.min(n, blocks * part / parts * align);
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void linear(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[][] cases = {{1, 1}, {17, 33}, {100, 7}, {960, 1280}, {1280, 1000}};
        int i = 0;
        for (int[] io : cases) {
            for (int batch : new int[] {1, 3, 9}) {
                i++;
                Activation act = i % 2 == 0 ? Activation.RELU : Activation.NONE;
                int from = batch > 1 ? 1 : 0;
                String what = "linear " + io[0] + "->" + io[1] + " N=" + batch + " " + act + " images [" + from + ", "
                        + batch + ")";
                float[] weights = uniform(random, io[0] * io[1], 1 / Math.sqrt(io[0]));
                float[] bias = uniform(random, io[1], 1);
                Tensor in = random(arena, random, batch, 1, 1, io[0], false);
                Tensor out = wide(arena, random, batch, 1, 1, io[1], false);
                Tensor ref = copyWide(arena, out);
                Linear op = vector.linear(arena, weights, bias, io[0], io[1], act);
                Linear refOp = SCALAR.linear(arena, weights, bias, io[0], io[1], act);
                op.run(in, out, from, batch);
                refOp.run(in, ref, from, batch);
                assertClose(what, vector.name(), ref, out);
                // Feature ranges at the op's alignment, as a step splits one image over threads: the middle one
                // of three alone (everything else left as it was), then all pieces of two.
                int align = op.featureAlignment();
                int blocks = (io[1] + align - 1) / align;
                Tensor piece = wide(arena, random, batch, 1, 1, io[1], false);
                Tensor pieceRef = copyWide(arena, piece);
                int f0 = blocks / 3 * align;
                int f1 = Math.min(io[1], 2 * blocks / 3 * align);
                op.run(in, piece, from, batch, f0, f1);
                refOp.run(in, pieceRef, from, batch, f0, f1);
                assertClose(what + " features [" + f0 + ", " + f1 + ")", vector.name(), pieceRef, piece);
                for (int part = 0; part < 2; part++) {
                    op.run(in, piece, from, batch, blocks * part / 2 * align,
                            Math.min(io[1], blocks * (part + 1) / 2 * align));
                }
                refOp.run(in, pieceRef, from, batch);
                assertClose(what + " in two feature ranges", vector.name(), pieceRef, piece);
            }
        }
    }

    @ParameterizedTest(name = "vector-{0}")
    @ValueSource(ints = {128, 256, 512})
    void elementwise(int bits) {
        Kernels vector = KernelProvider.of("vector-" + bits);
        int[] channels = {1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 960};
        int i = 0;
        for (int c : channels) {
            for (int[] hw : SPATIAL) {
                i++;
                int batch = i % 2 == 0 ? 2 : 1;
                boolean strided = i % 3 == 0;
                long pixels = (long) batch * hw[0] * hw[1];
                long from = i % 4 == 0 ? Math.min(1, pixels) : 0;
                String shape = " c=" + c + " " + batch + "x" + hw[0] + "x" + hw[1] + (strided ? " strided" : "");

                Tensor in = random(arena, random, batch, hw[0], hw[1], c, strided);
                Tensor pooled = wide(arena, random, batch, 1, 1, c, false);
                Tensor pooledRef = copyWide(arena, pooled);
                vector.globalAveragePool(in, pooled, (int) Math.min(from, batch - 1), batch);
                SCALAR.globalAveragePool(in, pooledRef, (int) Math.min(from, batch - 1), batch);
                assertClose("globalAveragePool" + shape, vector.name(), pooledRef, pooled);

                Tensor b = random(arena, random, batch, hw[0], hw[1], c, !strided);
                Tensor sumWide = wide(arena, random, batch, hw[0], hw[1], c, strided);
                Tensor refWide = copyWide(arena, sumWide);
                Tensor sum = strided ? sumWide.channelSlice(3, c) : sumWide;
                Tensor ref = strided ? refWide.channelSlice(3, c) : refWide;
                vector.add(in, b, sum, from, pixels);
                SCALAR.add(in, b, ref, from, pixels);
                assertClose("add" + shape + " pixels [" + from + ", " + pixels + ")", vector.name(), refWide, sumWide);
                // out aliasing an input: accumulate in place.
                vector.add(sum, b, sum, 0, pixels);
                SCALAR.add(ref, b, ref, 0, pixels);
                assertClose("add in place" + shape, vector.name(), refWide, sumWide);

                // Scale to [-5, 5] so every piece of relu6(x + 3) / 6 is exercised.
                vector.add(sum, sum, sum, 0, pixels);
                SCALAR.add(ref, ref, ref, 0, pixels);
                vector.hardSigmoid(sum, from, pixels);
                SCALAR.hardSigmoid(ref, from, pixels);
                assertClose("hardSigmoid" + shape + " pixels [" + from + ", " + pixels + ")", vector.name(), refWide,
                        sumWide);
            }
        }
    }
}

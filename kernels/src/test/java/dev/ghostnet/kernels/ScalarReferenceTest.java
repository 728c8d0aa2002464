package dev.ghostnet.kernels;

import static dev.ghostnet.kernels.TensorAssertions.assertTensor;
import static dev.ghostnet.kernels.TensorAssertions.randomFloats;
import static dev.ghostnet.kernels.TensorAssertions.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference kernels against values worked out by hand. Inputs are small integers or binary fractions,
 * so every expected value is exact in float and the arithmetic is written next to it.
 */
class ScalarReferenceTest {
    private static final float SENTINEL = -7f;

    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    // x (1x3x3x1):     kernel w[kh][kw] (1x1x3x3):
    //   1 2 3            1 0 2
    //   4 5 6            0 1 0
    //   7 8 9            3 0 4
    // out[oh][ow] = x[oh-1][ow-1] + 2 x[oh-1][ow+1] + x[oh][ow] + 3 x[oh+1][ow-1] + 4 x[oh+1][ow+1], zero outside.
    // The kernel is not symmetric, so a flipped (true convolution) or transposed kernel gives other numbers.
    private static final float[] X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final float[] K3 = {1, 0, 2, 0, 1, 0, 3, 0, 4};
    private static final float[] CONV_X3_K3 = {
            21, // (0,0): 1 + 4*5                  = 1 + 20
            38, // (0,1): 2 + 3*4 + 4*6            = 2 + 12 + 24
            18, // (0,2): 3 + 3*5                  = 3 + 15
            40, // (1,0): 2*2 + 4 + 4*8            = 4 + 4 + 32
            69, // (1,1): 1 + 2*3 + 5 + 3*7 + 4*9  = 1 + 6 + 5 + 21 + 36
            32, // (1,2): 2 + 6 + 3*8              = 2 + 6 + 24
            17, // (2,0): 2*5 + 7                  = 10 + 7
            24, // (2,1): 4 + 2*6 + 8              = 4 + 12 + 8
            14, // (2,2): 5 + 9
    };

    private static float[] plus(float[] values, float x) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) out[i] += x;
        return out;
    }

    private static float[] times(float[] values, float x) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) out[i] *= x;
        return out;
    }

    private Tensor filled(int n, int h, int w, int c, float value) {
        Tensor t = Tensor.allocate(arena, n, h, w, c);
        t.fill(value);
        return t;
    }

    /** x[h][w] = 10 h + w, single channel. */
    private Tensor tensRows(int height, int width) {
        Tensor t = Tensor.allocate(arena, 1, height, width, 1);
        for (int h = 0; h < height; h++)
            for (int w = 0; w < width; w++)
                t.set(0, h, w, 0, 10 * h + w);
        return t;
    }

    @Test
    void conv3x3Stride1Pad1CountsPaddingAsZeros() {
        Tensor out = filled(1, 3, 3, 1, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 3, 3, 1, X3), out, K3, new float[] {0.5f},
                new ConvGeometry(1, 1, 3, 1, 1, 1), Activation.NONE, null, 0, 3);
        assertTensor(plus(CONV_X3_K3, 0.5f), out);
    }

    @Test
    void convWithoutBiasAndWithReluClampsOnlyNegatives() {
        // bias null: the plain sums; then bias -30 with ReLU: max(sum - 30, 0).
        Tensor in = tensor(arena, 1, 3, 3, 1, X3);
        Tensor out = filled(1, 3, 3, 1, SENTINEL);
        ConvGeometry g = new ConvGeometry(1, 1, 3, 1, 1, 1);
        ScalarReference.conv2d(in, out, K3, null, g, Activation.NONE, null, 0, 3);
        assertTensor(CONV_X3_K3, out);
        ScalarReference.conv2d(in, out, K3, new float[] {-30}, g, Activation.RELU, null, 0, 3);
        assertTensor(new float[] {0, 8, 0, 10, 39, 2, 0, 0, 0}, out);
    }

    @Test
    void conv3x3Stride2On5x5GivesThreeByThree() {
        // All-ones kernel on x = 10h + w: each output is the sum over the clipped 3x3 window centred on (2oh, 2ow).
        // Window rows (and columns) per output index: 0 -> {0,1}, 1 -> {1,2,3}, 2 -> {3,4}.
        // Sum over rows R, columns C of (10h + w) = 10 |C| sum(R) + |R| sum(C).
        //   |.|,sum: index 0 -> 2,1   index 1 -> 3,6   index 2 -> 2,7
        assertEquals(3, ConvGeometry.outputSize(5, 3, 2, 1));
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        Tensor out = filled(1, 3, 3, 1, SENTINEL);
        ScalarReference.conv2d(tensRows(5, 5), out, ones, null, new ConvGeometry(1, 1, 3, 2, 1, 1), Activation.NONE,
                null, 0, 3);
        assertTensor(new float[] {
                22, 42, 34,     // 10*2*1+2*1, 10*3*1+2*6, 10*2*1+2*7
                123, 198, 141,  // 10*2*6+3*1, 10*3*6+3*6, 10*2*6+3*7
                142, 222, 154,  // 10*2*7+2*1, 10*3*7+2*6, 10*2*7+2*7
        }, out);
    }

    @Test
    void conv3x3Stride2On5x4ReadsPaddingBelowTheLastRow() {
        // 5x4 -> Hout = (5+2-3)/2+1 = 3, Wout = (4+2-3)/2+1 = 2. x = 10h + w. Two output channels, one tap each:
        //   o=0: top-left tap (kh=0, kw=0)     -> x[2oh-1][2ow-1]
        //   o=1: bottom-right tap (kh=2, kw=2) -> x[2oh+1][2ow+1], bias 1
        float[] w = new float[2 * 9];
        w[0] = 1;
        w[9 + 8] = 1;
        Tensor out = filled(1, 3, 2, 2, SENTINEL);
        ScalarReference.conv2d(tensRows(5, 4), out, w, new float[] {0, 1}, new ConvGeometry(1, 2, 3, 2, 1, 1),
                Activation.NONE, null, 0, 3);
        assertTensor(new float[] {
                0, 12,    0, 14,    // (0,0): x[-1][-1]=0, x[1][1]+1=12   (0,1): x[-1][1]=0, x[1][3]+1=14
                0, 32,    11, 34,   // (1,0): x[1][-1]=0,  x[3][1]+1=32   (1,1): x[1][1]=11, x[3][3]+1=34
                0, 1,     31, 1,    // (2,0): x[3][-1]=0,  x[5][1]=0, +1  (2,1): x[3][1]=31, x[5][3]=0, +1
        }, out);
    }

    @Test
    void conv5x5Stride2Pad2On7x7GivesFourByFour() {
        // (7+4-5)/2+1 = 4. All-ones 5x5 kernel on x = 10h + w; window rows {2i-2..2i+2} clipped to [0,6]:
        //   i=0 -> {0,1,2} (n=3, sum=3)   i=1 -> {0..4} (5, 10)   i=2 -> {2..6} (5, 20)   i=3 -> {4,5,6} (3, 15)
        // out[i][j] = 10 n_j s_i + n_i s_j.
        assertEquals(4, ConvGeometry.outputSize(7, 5, 2, 2));
        float[] ones = new float[25];
        Arrays.fill(ones, 1f);
        Tensor out = filled(1, 4, 4, 1, SENTINEL);
        ScalarReference.conv2d(tensRows(7, 7), out, ones, null, new ConvGeometry(1, 1, 5, 2, 2, 1), Activation.NONE,
                null, 0, 4);
        assertTensor(new float[] {
                99, 180, 210, 135,      // 10*3*3+3*3, 10*5*3+3*10, 10*5*3+3*20, 10*3*3+3*15
                315, 550, 600, 375,     // 10*3*10+5*3, 10*5*10+5*10, 10*5*10+5*20, 10*3*10+5*15
                615, 1050, 1100, 675,   // 10*3*20+5*3, 10*5*20+5*10, 10*5*20+5*20, 10*3*20+5*15
                459, 780, 810, 495,     // 10*3*15+3*3, 10*5*15+3*10, 10*5*15+3*20, 10*3*15+3*15
        }, out);
    }

    @Test
    void depthwiseGivesEachChannelItsOwnFilter() {
        // Channel 0 = 1..9 with the centre tap 2: out = 2x.
        // Channel 1 = 10..90 with the right tap (kh=1, kw=2) 1 and bias 1: out[h][w] = x1[h][w+1] + 1, zero past the edge.
        float[] in = new float[18];
        for (int i = 0; i < 9; i++) {
            in[2 * i] = X3[i];
            in[2 * i + 1] = 10 * X3[i];
        }
        float[] w = new float[18];
        w[4] = 2;
        w[9 + 5] = 1;
        Tensor out = filled(1, 3, 3, 2, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 3, 3, 2, in), out, w, new float[] {0, 1},
                new ConvGeometry(2, 2, 3, 1, 1, 2), Activation.NONE, null, 0, 3);
        assertTensor(new float[] {
                2, 21,    4, 31,    6, 1,
                8, 51,    10, 61,   12, 1,
                14, 81,   16, 91,   18, 1,
        }, out);
    }

    @Test
    void groupsOfTwoOnlyMixChannelsWithinAGroup() {
        // 4 in, 4 out, groups 2: outputs 0,1 read inputs 0,1; outputs 2,3 read inputs 2,3. weights [4][2][3][3].
        // 1x1 image with pad 1: only the centre tap (index ((o*2+i)*3+1)*3+1 = (o*2+i)*9+4) sees the pixel;
        // every other tap is 99 and multiplies padding.
        float[] w = new float[4 * 2 * 9];
        Arrays.fill(w, 99f);
        float[][] centre = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < 2; i++)
                w[(o * 2 + i) * 9 + 4] = centre[o][i];
        Tensor out = filled(1, 1, 1, 4, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 1, 1, 4, 1, 10, 100, 1000), out, w, null,
                new ConvGeometry(4, 4, 3, 1, 1, 2), Activation.NONE, null, 0, 1);
        // 1*1 + 2*10, 3*1 + 4*10, 5*100 + 6*1000, 7*100 + 8*1000
        assertTensor(new float[] {21, 43, 6500, 8700}, out);
    }

    // Pointwise 3 -> 2 on a 1x3 image. w = [[1, 0, -1], [2, 1, 1]], bias = [0.5, -4].
    //   A = [1, 2, 3]:  o0 = 0.5 + 1 - 3 = -1.5      o1 = -4 + 2 + 2 + 3 = 3
    //   B = [4, 0, 1]:  o0 = 0.5 + 4 - 1 = 3.5       o1 = -4 + 8 + 0 + 1 = 5
    //   C = [0, 1, -1]: o0 = 0.5 + 0 + 1 = 1.5       o1 = -4 + 0 + 1 - 1 = -4
    private static final float[] PW_IN = {1, 2, 3, 4, 0, 1, 0, 1, -1};
    private static final float[] PW_W = {1, 0, -1, 2, 1, 1};
    private static final float[] PW_B = {0.5f, -4};
    private static final ConvGeometry PW = new ConvGeometry(3, 2, 1, 1, 0, 1);

    @Test
    void pointwiseWithBiasAndRelu() {
        Tensor out = filled(1, 1, 3, 2, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 1, 3, 3, PW_IN), out, PW_W, PW_B, PW, Activation.RELU, null, 0, 1);
        assertTensor(new float[] {0, 3, 3.5f, 5, 1.5f, 0}, out);
        ScalarReference.conv2d(tensor(arena, 1, 1, 3, 3, PW_IN), out, PW_W, PW_B, PW, Activation.NONE, null, 0, 1);
        assertTensor(new float[] {-1.5f, 3, 3.5f, 5, 1.5f, -4}, out);
    }

    @Test
    void residualIsAddedAfterTheActivation() {
        // relu(...) + r with r = [[10, -10], [1, 1], [-2, -2]]:
        //   A: 0 + 10, 3 - 10 = -7     B: 3.5 + 1, 5 + 1     C: 1.5 - 2 = -0.5, 0 - 2 = -2
        // Negative results prove the ReLU did not run after the add.
        Tensor residual = tensor(arena, 1, 1, 3, 2, 10, -10, 1, 1, -2, -2);
        Tensor out = filled(1, 1, 3, 2, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 1, 3, 3, PW_IN), out, PW_W, PW_B, PW, Activation.RELU, residual, 0, 1);
        assertTensor(new float[] {10, -7, 4.5f, 6, -0.5f, -2}, out);
    }

    @Test
    void residualMayBeTheOutputItself() {
        // out starts as r and accumulates: same numbers as above.
        Tensor out = tensor(arena, 1, 1, 3, 2, 10, -10, 1, 1, -2, -2);
        ScalarReference.conv2d(tensor(arena, 1, 1, 3, 3, PW_IN), out, PW_W, PW_B, PW, Activation.RELU, out, 0, 1);
        assertTensor(new float[] {10, -7, 4.5f, 6, -0.5f, -2}, out);
    }

    @Test
    void onlyRowsInTheRangeAreWritten() {
        Tensor out = filled(1, 3, 3, 1, SENTINEL);
        ScalarReference.conv2d(tensor(arena, 1, 3, 3, 1, X3), out, K3, null, new ConvGeometry(1, 1, 3, 1, 1, 1),
                Activation.NONE, null, 1, 2);
        assertTensor(new float[] {SENTINEL, SENTINEL, SENTINEL, 40, 69, 32, SENTINEL, SENTINEL, SENTINEL}, out);
    }

    @Test
    void batchOfTwoWithRowsSpanningBothImages() {
        // Image 1 is 2x image 0, so its outputs are twice CONV_X3_K3. Rows are flattened N*Hout:
        // [2, 4) is image 0 row 2 and image 1 row 0.
        float[] in = new float[18];
        System.arraycopy(X3, 0, in, 0, 9);
        System.arraycopy(times(X3, 2), 0, in, 9, 9);
        Tensor input = tensor(arena, 2, 3, 3, 1, in);
        ConvGeometry g = new ConvGeometry(1, 1, 3, 1, 1, 1);

        Tensor all = filled(2, 3, 3, 1, SENTINEL);
        ScalarReference.conv2d(input, all, K3, null, g, Activation.NONE, null, 0, 6);
        float[] expected = new float[18];
        System.arraycopy(CONV_X3_K3, 0, expected, 0, 9);
        System.arraycopy(times(CONV_X3_K3, 2), 0, expected, 9, 9);
        assertTensor(expected, all);

        Tensor some = filled(2, 3, 3, 1, SENTINEL);
        ScalarReference.conv2d(input, some, K3, null, g, Activation.NONE, null, 2, 4);
        float s = SENTINEL;
        assertTensor(new float[] {s, s, s, s, s, s, 17, 24, 14, 42, 76, 36, s, s, s, s, s, s}, some);
    }

    @Test
    void batchNormFoldFollowsTheFormula() {
        // var + eps = [3.75 + 0.25, 0 + 0.25] = [4, 0.25], sqrt = [2, 0.5]; s = gamma / sqrt = [2/2, 3/0.5] = [1, 6].
        BatchNorm bn = new BatchNorm(new float[] {2, 3}, new float[] {1, -1}, new float[] {3, 0},
                new float[] {3.75f, 0}, 0.25f);
        float[] w = {1, 2, 3, 4}; // [out=2][2]
        // w' = w * s: [1*1, 2*1, 3*6, 4*6]
        // no bias:       b' = beta - mean * s       = [1 - 3*1, -1 - 0*6]         = [-2, -1]
        // bias [5, 0.5]: b' = beta + (b - mean) * s = [1 + (5-3)*1, -1 + 0.5*6]    = [3, 2]
        BatchNorm.Folded noBias = bn.fold(w, null);
        assertArrayEquals(new float[] {1, 2, 18, 24}, noBias.weights());
        assertArrayEquals(new float[] {-2, -1}, noBias.bias());
        BatchNorm.Folded withBias = bn.fold(w, new float[] {5, 0.5f});
        assertArrayEquals(new float[] {1, 2, 18, 24}, withBias.weights());
        assertArrayEquals(new float[] {3, 2}, withBias.bias());
        assertArrayEquals(new float[] {1, 2, 3, 4}, w, "fold must not modify its input");
    }

    @Test
    void batchNormFoldRejectsMismatchedArrays() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(new float[2], new float[2], new float[3], new float[2], 1e-5f));
        assertTrue(lengths.getMessage().contains("mean 3"), lengths.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm(new float[1], new float[1], new float[1], new float[1], Float.NaN));
        BatchNorm bn = new BatchNorm(new float[] {1, 1}, new float[2], new float[2], new float[] {1, 1}, 0);
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> bn.fold(new float[5], null));
        assertTrue(split.getMessage().contains("do not split into 2"), split.getMessage());
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> bn.fold(new float[4], new float[3]));
        assertTrue(bias.getMessage().contains("3 entries, BatchNorm has 2"), bias.getMessage());
    }

    @Test
    void convolutionWithFoldedWeightsEqualsBatchNormAfterConvolution() {
        Random random = new Random(20240601);
        int in = 3, out = 4, size = 5;
        ConvGeometry g = new ConvGeometry(in, out, 3, 2, 1, 1);
        float[] w = randomFloats(random, g.weightCount());
        float[] convBias = randomFloats(random, out);
        float[] gamma = randomFloats(random, out);
        float[] beta = randomFloats(random, out);
        float[] mean = randomFloats(random, out);
        float[] var = new float[out];
        for (int o = 0; o < out; o++) var[o] = 0.1f + random.nextFloat();
        BatchNorm bn = new BatchNorm(gamma, beta, mean, var, BatchNorm.PYTORCH_DEFAULT_EPS);
        Tensor x = TensorAssertions.randomTensor(arena, random, 2, size, size, in, in);
        int outSize = g.outputSize(size);

        for (float[] bias : new float[][] {null, convBias}) {
            Tensor conv = Tensor.allocate(arena, 2, outSize, outSize, out);
            ScalarReference.conv2d(x, conv, w, bias, g, Activation.NONE, null, 0, 2 * outSize);
            float[] bnAfterConv = conv.toArray();
            for (int i = 0; i < bnAfterConv.length; i++) {
                int o = i % out;
                bnAfterConv[i] = (float) (gamma[o] * (bnAfterConv[i] - mean[o]) / Math.sqrt(var[o] + bn.eps()) + beta[o]);
            }
            BatchNorm.Folded folded = bn.fold(w, bias);
            Tensor foldedConv = Tensor.allocate(arena, 2, outSize, outSize, out);
            ScalarReference.conv2d(x, foldedConv, folded.weights(), folded.bias(), g, Activation.NONE, null, 0,
                    2 * outSize);
            assertTensor(bnAfterConv, foldedConv, 1e-5, 1e-5);
        }
    }

    @Test
    void reluClampsNegativesInPlaceAndRespectsSlices() {
        Tensor t = tensor(arena, 1, 1, 2, 3, -2, -0.5f, 0, 3.5f, -1e-3f, 7);
        ScalarReference.relu(t.channelSlice(1, 2));
        assertTensor(new float[] {-2, 0, 0, 3.5f, 0, 7}, t);
        ScalarReference.relu(t);
        assertTensor(new float[] {0, 0, 0, 3.5f, 0, 7}, t);
    }

    @Test
    void hardSigmoidIsRelu6OfXPlus3OverSix() {
        // relu6(x + 3) / 6: -4 -> 0, -3 -> 0, -1 -> 2/6, 0 -> 3/6, 1.5 -> 4.5/6, 3 -> 6/6, 4 -> min(7, 6)/6.
        float[] x = {-4, -3, -1, 0, 1.5f, 3, 4};
        float[] expected = {0, 0, 1f / 3, 0.5f, 0.75f, 1, 1};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], ScalarReference.hardSigmoid(x[i]), 1e-7f, "hardSigmoid(" + x[i] + ")");
        }
    }

    @Test
    void hardSigmoidOnATensorTouchesOnlyThePixelRange() {
        // (2, 1, 2, 2): 4 pixels; range [1, 3) = image 0 pixel 1 and image 1 pixel 0.
        Tensor t = tensor(arena, 2, 1, 2, 2, -4, 0, -1, 1.5f, 3, -3, 4, 0);
        ScalarReference.hardSigmoid(t, 1, 3);
        assertTensor(new float[] {-4, 0, 1f / 3, 0.75f, 1, 0, 4, 0}, t);
    }

    @Test
    void squeezeExciteScalesEachChannelByItsGate() {
        // x (2x2x2), image 0: channel 0 = [1, 2, 3, 4], channel 1 = [-1, -1, -2, -4]. pooled = [2.5, -2].
        // reduce  Wr = [[1, 1], [1, -1]], br = [-1, -1]:
        //   hidden = relu([2.5 - 2 - 1, 2.5 + 2 - 1]) = relu([-0.5, 3.5]) = [0, 3.5]
        // expand  We = [[2, 0.5], [-1, 0.5]], be = [-0.25, -3.25]:
        //   pre-gate = [2*0 + 0.5*3.5 - 0.25, -1*0 + 0.5*3.5 - 3.25] = [1.5, -1.5]
        //   (without the hidden ReLU it would be [0.5, 0.75 - 1.5]: the test would fail)
        //   gate = hardSigmoid = [(1.5 + 3)/6, (-1.5 + 3)/6] = [0.75, 0.25]
        // out: channel 0 = 0.75 * [1, 2, 3, 4], channel 1 = 0.25 * [-1, -1, -2, -4].
        // Image 1 is outside the image range and must stay as it was.
        float[] image0 = {1, -1, 2, -1, 3, -2, 4, -4};
        float[] image1 = {5, 6, 7, 8, 9, 10, 11, 12};
        float[] in = new float[16];
        System.arraycopy(image0, 0, in, 0, 8);
        System.arraycopy(image1, 0, in, 8, 8);
        Tensor x = tensor(arena, 2, 2, 2, 2, in);
        ScalarReference.squeezeExcite(x, new float[] {1, 1, 1, -1}, new float[] {-1, -1},
                new float[] {2, 0.5f, -1, 0.5f}, new float[] {-0.25f, -3.25f}, 2, 0, 1);
        assertTensor(new float[] {0.75f, -0.25f, 1.5f, -0.25f, 2.25f, -0.5f, 3, -1, 5, 6, 7, 8, 9, 10, 11, 12}, x);
    }

    @Test
    void globalAveragePoolAveragesEachChannelOfEachImage() {
        // (2, 2, 3, 2). Image 0: channel 0 = 1..6 (mean 21/6 = 3.5), channel 1 = 10..60 (mean 35).
        // Image 1: channel 0 = all -1 (mean -1), channel 1 = [0, 0, 0, 0, 0, 6] (mean 1).
        float[] in = new float[24];
        for (int p = 0; p < 6; p++) {
            in[2 * p] = p + 1;
            in[2 * p + 1] = 10 * (p + 1);
            in[12 + 2 * p] = -1;
        }
        in[12 + 11] = 6;
        Tensor x = tensor(arena, 2, 2, 3, 2, in);
        Tensor out = filled(2, 1, 1, 2, SENTINEL);
        ScalarReference.globalAveragePool(x, out, 1, 2);
        assertTensor(new float[] {SENTINEL, SENTINEL, -1, 1}, out);
        ScalarReference.globalAveragePool(x, out, 0, 2);
        assertTensor(new float[] {3.5f, 35, -1, 1}, out);
    }

    @Test
    void linearWithAndWithoutRelu() {
        // x = [1, -2, 3], W = [[1, 1, 1], [2, 0, 1]], b = [-3, 0.5]:
        //   o0 = -3 + 1 - 2 + 3 = -1     o1 = 0.5 + 2 + 0 + 3 = 5.5
        // without bias: [2, 5].
        float[] x = {1, -2, 3};
        float[] w = {1, 1, 1, 2, 0, 1};
        float[] y = {SENTINEL, SENTINEL};
        ScalarReference.linear(x, w, new float[] {-3, 0.5f}, Activation.NONE, y, 3, 2);
        assertArrayEquals(new float[] {-1, 5.5f}, y);
        ScalarReference.linear(x, w, new float[] {-3, 0.5f}, Activation.RELU, y, 3, 2);
        assertArrayEquals(new float[] {0, 5.5f}, y);
        ScalarReference.linear(x, w, null, Activation.NONE, y, 3, 2);
        assertArrayEquals(new float[] {2, 5}, y);
    }

    @Test
    void addWritesOnlyThePixelRange() {
        // (2, 1, 3, 2): 6 pixels; [2, 5) = image 0 pixel 2 and image 1 pixels 0, 1.
        // a[p][c] = p + c/2, b[p][c] = 10 p; sums = 11 p + c/2.
        float[] a = new float[12];
        float[] b = new float[12];
        for (int p = 0; p < 6; p++)
            for (int c = 0; c < 2; c++) {
                a[2 * p + c] = p + c * 0.5f;
                b[2 * p + c] = 10 * p;
            }
        Tensor out = filled(2, 1, 3, 2, SENTINEL);
        ScalarReference.add(tensor(arena, 2, 1, 3, 2, a), tensor(arena, 2, 1, 3, 2, b), out, 2, 5);
        float s = SENTINEL;
        assertTensor(new float[] {s, s, s, s, 22, 22.5f, 33, 33.5f, 44, 44.5f, s, s}, out);
    }

    @Test
    void addMayWriteIntoOneOfItsInputs() {
        Tensor a = tensor(arena, 1, 1, 2, 1, 1, 2);
        ScalarReference.add(a, tensor(arena, 1, 1, 2, 1, 10, 20), a, 0, 2);
        assertTensor(new float[] {11, 22}, a);
    }
}

package dev.ghostnet.kernels;

import static dev.ghostnet.kernels.TensorAssertions.assertTensor;
import static dev.ghostnet.kernels.TensorAssertions.randomFloats;
import static dev.ghostnet.kernels.TensorAssertions.randomTensor;
import static dev.ghostnet.kernels.TensorAssertions.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each op {@link ScalarKernels} builds against a direct {@link ScalarReference} call on the same data, and the
 * factory methods' argument validation. Both sides do the same double-accumulated sums, so results must be equal.
 */
class ScalarKernelsTest {
    private static final Kernels K = ScalarKernels.INSTANCE;
    private static final double ABS = 0;
    private static final double REL = 0;
    private static final float SENTINEL = -7f;

    private Arena arena;
    private Random random;

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        random = new Random(42);
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private Tensor sentinel(int n, int h, int w, int c, int stride) {
        Tensor t = Tensor.allocate(arena, n, h, w, c, stride);
        t.fill(SENTINEL);
        return t;
    }

    private static float[] flatPixelsInRange(float[] reference, float[] outside, int channels, long from, long to) {
        float[] expected = outside.clone();
        System.arraycopy(reference, (int) from * channels, expected, (int) from * channels, (int) (to - from) * channels);
        return expected;
    }

    @Test
    void nameIsScalar() {
        assertEquals("scalar", K.name());
    }

    @Test
    void pointwiseOnABatchMatchesTheReferenceOverAPixelRange() {
        int in = 5, out = 7;
        float[] w = randomFloats(random, out * in);
        float[] b = randomFloats(random, out);
        PointwiseConv op = K.pointwise(arena, w, b, in, out, Activation.RELU);
        assertEquals(in, op.inChannels());
        assertEquals(out, op.outChannels());

        Tensor x = randomTensor(arena, random, 2, 3, 4, in, in);
        Tensor residual = randomTensor(arena, random, 2, 3, 4, out, out);
        Tensor reference = Tensor.allocate(arena, 2, 3, 4, out);
        ScalarReference.conv2d(x, reference, w, b, new ConvGeometry(in, out, 1, 1, 0, 1), Activation.RELU, residual, 0, 6);

        Tensor full = sentinel(2, 3, 4, out, out);
        op.run(x, full, residual, 0, 24);
        assertTensor(reference, full, ABS, REL);

        // [5, 19) starts and ends mid-row and crosses from image 0 into image 1.
        Tensor part = sentinel(2, 3, 4, out, out);
        op.run(x, part, residual, 5, 19);
        assertTensor(flatPixelsInRange(reference.toArray(), part.toArray(), out, 5, 19), part, ABS, REL);
        assertEquals(SENTINEL, part.get(0, 1, 0, 0), "pixel 4 is before the range");
        assertEquals(SENTINEL, part.get(1, 1, 3, 6), "pixel 19 is past the range");
    }

    @Test
    void pointwiseReadsAndWritesChannelSlicesAndAccumulatesInPlace() {
        int in = 5, out = 3;
        float[] w = randomFloats(random, out * in);
        float[] b = randomFloats(random, out);
        PointwiseConv op = K.pointwise(arena, w, b, in, out, Activation.NONE);

        // Input: channels [2, 7) of a 9-channel tensor. Output: channels [4, 7) of an 8-channel one, which
        // already holds the residual (accumulate in place, as a ghost bottleneck's shortcut does).
        Tensor wideIn = randomTensor(arena, random, 2, 2, 3, 9, 9);
        Tensor wideOut = randomTensor(arena, random, 2, 2, 3, 8, 8);
        float[] wideOutBefore = wideOut.toArray();
        Tensor x = wideIn.channelSlice(2, in);
        Tensor y = wideOut.channelSlice(4, out);

        Tensor denseX = Tensor.allocate(arena, 2, 2, 3, in);
        denseX.copyFrom(x);
        Tensor denseResidual = Tensor.allocate(arena, 2, 2, 3, out);
        denseResidual.copyFrom(y);
        Tensor reference = Tensor.allocate(arena, 2, 2, 3, out);
        ScalarReference.conv2d(denseX, reference, w, b, new ConvGeometry(in, out, 1, 1, 0, 1), Activation.NONE,
                denseResidual, 0, 4);

        op.run(x, y, y, 0, 12);
        assertTensor(reference, y, ABS, REL);
        float[] after = wideOut.toArray();
        for (int p = 0; p < 12; p++) {
            for (int c : new int[] {0, 1, 2, 3, 7}) {
                assertEquals(wideOutBefore[p * 8 + c], after[p * 8 + c], "pixel " + p + " channel " + c + " outside the slice");
            }
        }
    }

    @Test
    void opsKeepTheirOwnCopyOfTheWeights() {
        float[] w = {1, 2};
        float[] b = {0.5f};
        PointwiseConv op = K.pointwise(arena, w, b, 2, 1, Activation.NONE);
        w[0] = 100;
        b[0] = 100;
        Tensor out = Tensor.allocate(arena, 1, 1, 1, 1);
        op.run(tensor(arena, 1, 1, 1, 2, 3, 4), out, null, 0, 1);
        assertTensor(new float[] {11.5f}, out); // 0.5 + 1*3 + 2*4
    }

    @Test
    void depthwiseMatchesTheReferenceForEachKernelAndStride() {
        int channels = 6;
        int[][] cases = {{3, 1, 7, 5}, {3, 2, 7, 5}, {5, 1, 6, 6}, {5, 2, 9, 8}, {3, 2, 4, 4}};
        for (int[] c : cases) {
            int k = c[0], stride = c[1], height = c[2], width = c[3];
            String label = "k=" + k + " s=" + stride + " in " + height + "x" + width;
            float[] w = randomFloats(random, channels * k * k);
            float[] b = randomFloats(random, channels);
            DepthwiseConv op = K.depthwise(arena, w, b, channels, k, stride, Activation.RELU);
            assertEquals(channels, op.channels());
            assertEquals(k, op.kernelSize());
            assertEquals(stride, op.stride());
            int outH = op.outputSize(height), outW = op.outputSize(width);
            assertEquals((height + 2 * (k / 2) - k) / stride + 1, outH, label);

            Tensor x = randomTensor(arena, random, 2, height, width, channels, channels + 2);
            Tensor residual = randomTensor(arena, random, 2, outH, outW, channels, channels);
            Tensor reference = Tensor.allocate(arena, 2, outH, outW, channels);
            ScalarReference.conv2d(x, reference, w, b, new ConvGeometry(channels, channels, k, stride, k / 2, channels),
                    Activation.RELU, residual, 0, 2 * outH);

            Tensor full = sentinel(2, outH, outW, channels, channels);
            op.run(x, full, residual, 0, 2 * outH);
            assertTensor(reference, full, ABS, REL);

            // Rows [1, outH + 1): from image 0's second row into image 1's first.
            Tensor part = sentinel(2, outH, outW, channels, channels);
            op.run(x, part, residual, 1, outH + 1);
            float[] expected = part.toArray();
            int rowFloats = outW * channels;
            System.arraycopy(reference.toArray(), rowFloats, expected, rowFloats, outH * rowFloats);
            assertTensor(expected, part, ABS, REL);
            assertEquals(SENTINEL, part.get(0, 0, 0, 0), label + ": row 0 is before the range");
        }
    }

    @Test
    void depthwiseWithoutResidual() {
        float[] w = randomFloats(random, 4 * 9);
        float[] b = randomFloats(random, 4);
        DepthwiseConv op = K.depthwise(arena, w, b, 4, 3, 1, Activation.NONE);
        Tensor x = randomTensor(arena, random, 1, 3, 3, 4, 4);
        Tensor reference = Tensor.allocate(arena, 1, 3, 3, 4);
        ScalarReference.conv2d(x, reference, w, b, ConvGeometry.same(4, 4, 3, 1, 4), Activation.NONE, null, 0, 3);
        Tensor out = sentinel(1, 3, 3, 4, 4);
        op.run(x, out, null, 0, 3);
        assertTensor(reference, out, ABS, REL);
    }

    @Test
    void denseMatchesTheReference() {
        int in = 3, out = 8, k = 3, stride = 2;
        float[] w = randomFloats(random, out * in * k * k);
        float[] b = randomFloats(random, out);
        DenseConv op = K.dense(arena, w, b, in, out, k, stride, Activation.RELU);
        assertEquals(in, op.inChannels());
        assertEquals(out, op.outChannels());
        assertEquals(k, op.kernelSize());
        assertEquals(stride, op.stride());
        assertEquals(112, op.outputSize(224));
        int outSize = op.outputSize(7);
        assertEquals(4, outSize);

        Tensor x = randomTensor(arena, random, 2, 7, 7, in, in);
        Tensor reference = Tensor.allocate(arena, 2, outSize, outSize, out);
        ScalarReference.conv2d(x, reference, w, b, new ConvGeometry(in, out, k, stride, 1, 1), Activation.RELU, null,
                0, 2 * outSize);
        Tensor result = sentinel(2, outSize, outSize, out, out + 3);
        op.run(x, result, 0, 2 * outSize);
        assertTensor(reference, result, ABS, REL);

        Tensor part = sentinel(2, outSize, outSize, out, out);
        op.run(x, part, 6, 8);
        float[] expected = part.toArray();
        int rowFloats = outSize * out;
        System.arraycopy(reference.toArray(), 6 * rowFloats, expected, 6 * rowFloats, 2 * rowFloats);
        assertTensor(expected, part, ABS, REL);
    }

    @Test
    void squeezeExciteMatchesTheReferenceOnAnImageRange() {
        int channels = 8, reduced = 2;
        float[] rw = randomFloats(random, reduced * channels);
        float[] rb = randomFloats(random, reduced);
        float[] ew = randomFloats(random, channels * reduced);
        float[] eb = randomFloats(random, channels);
        SqueezeExcite op = K.squeezeExcite(arena, rw, rb, ew, eb, channels, reduced);
        assertEquals(channels, op.channels());
        assertEquals(reduced, op.reducedChannels());
        assertEquals(2 * channels + reduced, op.scratchFloats());

        Tensor x = randomTensor(arena, random, 3, 3, 3, channels, channels + 1);
        Tensor reference = Tensor.allocate(arena, 3, 3, 3, channels);
        reference.copyFrom(x);
        float[] before = x.toArray();
        ScalarReference.squeezeExcite(reference, rw, rb, ew, eb, reduced, 1, 3);
        op.run(x, 1, 3, new float[op.scratchFloats()]);
        assertTensor(reference, x, ABS, REL);
        assertArrayEquals(Arrays.copyOf(before, 9 * channels), Arrays.copyOf(x.toArray(), 9 * channels),
                "image 0 is outside the range");
        float[] after = x.toArray();
        assertFalse(Arrays.equals(before, after), "images 1 and 2 must have been gated");
    }

    @Test
    void linearMatchesTheReferencePerImage() {
        int in = 10, out = 4;
        float[] w = randomFloats(random, out * in);
        float[] b = randomFloats(random, out);
        for (Activation activation : Activation.values()) {
            Linear op = K.linear(arena, w, b, in, out, activation);
            assertEquals(in, op.inFeatures());
            assertEquals(out, op.outFeatures());
            Tensor x = randomTensor(arena, random, 3, 1, 1, in, in);
            Tensor y = sentinel(3, 1, 1, out, out);
            op.run(x, y, 1, 3);
            float[] expected = new float[3 * out];
            Arrays.fill(expected, 0, out, SENTINEL);
            float[] xs = x.toArray();
            for (int n = 1; n < 3; n++) {
                float[] yn = new float[out];
                ScalarReference.linear(Arrays.copyOfRange(xs, n * in, (n + 1) * in), w, b, activation, yn, in, out);
                System.arraycopy(yn, 0, expected, n * out, out);
            }
            assertTensor(expected, y, ABS, REL);
        }
    }

    @Test
    void poolAddAndHardSigmoidDelegateToTheReference() {
        Tensor x = randomTensor(arena, random, 2, 3, 3, 5, 6);
        Tensor pooled = sentinel(2, 1, 1, 5, 5);
        Tensor reference = sentinel(2, 1, 1, 5, 5);
        K.globalAveragePool(x, pooled, 1, 2);
        ScalarReference.globalAveragePool(x, reference, 1, 2);
        assertTensor(reference, pooled, ABS, REL);

        Tensor a = randomTensor(arena, random, 2, 3, 3, 5, 5);
        Tensor sum = sentinel(2, 3, 3, 5, 5);
        Tensor referenceSum = sentinel(2, 3, 3, 5, 5);
        K.add(a, x, sum, 4, 13);
        ScalarReference.add(a, x, referenceSum, 4, 13);
        assertTensor(referenceSum, sum, ABS, REL);

        Tensor gate = Tensor.allocate(arena, 2, 3, 3, 5);
        gate.copyFrom(sum);
        for (int c = 0; c < 5; c++) gate.set(0, 1, 1, c, 6f * c - 12);
        Tensor referenceGate = Tensor.allocate(arena, 2, 3, 3, 5);
        referenceGate.copyFrom(gate);
        K.hardSigmoid(gate, 3, 11);
        ScalarReference.hardSigmoid(referenceGate, 3, 11);
        assertTensor(referenceGate, gate, ABS, REL);
        // Pixel 4 = (0, 1, 1) is inside [3, 11): hardSigmoid of -12, -6, 0, 6, 12.
        float[] pixel4 = new float[5];
        for (int c = 0; c < 5; c++) pixel4[c] = gate.get(0, 1, 1, c);
        assertArrayEquals(new float[] {0, 0, 0.5f, 1, 1}, pixel4);
    }

    private static void assertRejected(Executable factory, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, factory);
        assertEquals(message, e.getMessage());
    }

    @Test
    void wrongWeightOrBiasLengthsNameTheExpectedCount() {
        assertRejected(() -> K.pointwise(arena, new float[5], new float[3], 2, 3, Activation.NONE),
                "pointwise weights [out][in] has 5 floats, expected 6");
        assertRejected(() -> K.pointwise(arena, new float[6], new float[2], 2, 3, Activation.NONE),
                "pointwise bias has 2 floats, expected 3");
        assertRejected(() -> K.pointwise(arena, new float[6], null, 2, 3, Activation.NONE),
                "pointwise bias is missing (expected 3 floats)");
        assertRejected(() -> K.depthwise(arena, new float[4 * 9 - 1], new float[4], 4, 3, 1, Activation.NONE),
                "depthwise weights [c][k][k] has 35 floats, expected 36");
        assertRejected(() -> K.dense(arena, new float[16 * 3 * 9], new float[16], 3, 16, 5, 2, Activation.RELU),
                "conv weights [out][in][k][k] has 432 floats, expected 1200");
        assertRejected(() -> K.squeezeExcite(arena, new float[8], new float[2], new float[8], new float[3], 4, 2),
                "squeeze-excite expand bias has 3 floats, expected 4");
        assertRejected(() -> K.squeezeExcite(arena, new float[9], new float[2], new float[8], new float[4], 4, 2),
                "squeeze-excite reduce weights [reduced][channels] has 9 floats, expected 8");
        assertRejected(() -> K.linear(arena, new float[19], new float[4], 5, 4, Activation.NONE),
                "linear weights [out][in] has 19 floats, expected 20");
        assertRejected(() -> K.linear(arena, new float[20], new float[5], 5, 4, Activation.NONE),
                "linear bias has 5 floats, expected 4");
    }

    @Test
    void nonPositiveChannelCountsAreNamed() {
        assertRejected(() -> K.pointwise(arena, new float[0], new float[0], 0, 3, Activation.NONE),
                "input channels must be positive, got 0");
        assertRejected(() -> K.depthwise(arena, new float[0], new float[0], -1, 3, 1, Activation.NONE),
                "channels must be positive, got -1");
        assertRejected(() -> K.squeezeExcite(arena, new float[0], new float[0], new float[0], new float[4], 4, 0),
                "reduced channels must be positive, got 0");
        assertRejected(() -> K.linear(arena, new float[0], new float[0], 4, 0, Activation.NONE),
                "output features must be positive, got 0");
    }

    @Test
    void evenKernelSizesAndStridesOtherThanOneOrTwoAreRejected() {
        assertRejected(() -> K.depthwise(arena, new float[4 * 16], new float[4], 4, 4, 1, Activation.NONE),
                "kernel size must be odd and positive for 'same' padding, got 4");
        assertRejected(() -> K.dense(arena, new float[2 * 3 * 4], new float[2], 3, 2, 2, 1, Activation.NONE),
                "kernel size must be odd and positive for 'same' padding, got 2");
        assertRejected(() -> K.depthwise(arena, new float[4 * 9], new float[4], 4, 3, 3, Activation.NONE),
                "stride must be 1 or 2, got 3");
        assertRejected(() -> K.dense(arena, new float[2 * 3 * 9], new float[2], 3, 2, 3, 3, Activation.NONE),
                "stride must be 1 or 2, got 3");
    }
}

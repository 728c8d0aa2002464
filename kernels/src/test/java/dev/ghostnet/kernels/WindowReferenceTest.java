package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The window reference ops against values worked out by hand (exact in float). */
class WindowReferenceTest {
    /** Confined to the test's thread; JUnit closes it after each test. */
    @AutoClose
    private final Arena arena = Arena.ofConfined();

    private Tensor tensor(int h, int w, int c, float... values) {
        Tensor t = Tensor.allocate(arena, 1, h, w, c);
        t.copyFrom(values);
        return t;
    }

    // x (1x2x3x1):  1 2 3     1x3 window w = [1 10 100], padding (0, 1), stride 1:
    //               4 5 6     out[0][0] = 10*1 + 100*2 = 210, out[0][1] = 1 + 20 + 300 = 321, out[0][2] = 2 + 30 = 32
    @Test
    void depthwiseOneByThreeWithPaddingOnlyAlongTheWidth() {
        Tensor x = tensor(2, 3, 1, 1, 2, 3, 4, 5, 6);
        Tensor out = Tensor.allocate(arena, 1, 2, 3, 1);
        WindowReference.depthwise(x, out, new float[] {1, 10, 100}, new float[] {0.5f}, 1, 3, 1, 0, 1,
                Activation.NONE, null, 0, 2);
        assertArrayEquals(new float[] {210.5f, 321.5f, 32.5f, 540.5f, 654.5f, 65.5f}, out.toArray());
    }

    // x (1x3x3x1): 1 2 3 / 4 5 6 / 7 8 9; 3x1 window w = [1 10 100], padding (1, 0), stride 2 (both axes)
    // -> out 2x2 at rows 0, 2 and columns 0, 2:
    //   row 0 (kh = 0 above the image): 10*1 + 100*4 = 410, 10*3 + 100*6 = 630
    //   row 1 (kh = 2 below the image): 1*4 + 10*7 = 74, 1*6 + 10*9 = 96
    // bias -100, ReLU, then a residual of 1: 311, 531, 1, 1.
    @Test
    void depthwiseThreeByOneStrideTwoWithActivationAndResidual() {
        Tensor x = tensor(3, 3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor out = Tensor.allocate(arena, 1, 2, 2, 1);
        Tensor residual = tensor(2, 2, 1, 1, 1, 1, 1);
        WindowReference.depthwise(x, out, new float[] {1, 10, 100}, new float[] {-100}, 3, 1, 2, 1, 0,
                Activation.RELU, residual, 0, 2);
        assertArrayEquals(new float[] {311, 531, 1, 1}, out.toArray());
    }

    // x (1x3x5x2), channel 0 = 0..14 row-major, channel 1 = 10 * channel 0; 2x2/2 pool -> 1x2 (row 2 and
    // column 4 fill no window): (0+1+5+6)/4 = 3, (2+3+7+8)/4 = 5.
    @Test
    void averagePoolFloorsOddSizes() {
        float[] v = new float[30];
        for (int i = 0; i < 15; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = 10 * i;
        }
        Tensor x = tensor(3, 5, 2, v);
        Tensor out = Tensor.allocate(arena, 1, 1, 2, 2);
        WindowReference.averagePool(x, out, 2, 2, 0, 1);
        assertArrayEquals(new float[] {3, 30, 5, 50}, out.toArray());
    }

    // gate (1x1x2x1) = [0, ln 3]: sigmoid 1/2 and 3/4. x (1x2x3x1) all 4: columns 0, 1 read gate column 0
    // (floor(1 * 2/3) = 0), column 2 reads column 1 (floor(2 * 2/3) = 1); both rows read gate row 0.
    @Test
    void sigmoidGateUpsamplesNearest() {
        Tensor gate = tensor(1, 2, 1, 0, (float) Math.log(3));
        Tensor x = tensor(2, 3, 1, 4, 4, 4, 4, 4, 4);
        WindowReference.sigmoidGateNearest(gate, x, 0, 2);
        float[] got = x.toArray();
        float[] expected = {2, 2, 3, 2, 2, 3};
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-6, "element " + i);
        }
    }

    @Test
    void nearestSourceAsPyTorchPicksIt() {
        assertEquals(2, WindowReference.nearestSource(5, 7, 14), "exactly 2x: dst / 2");
        assertEquals(12, WindowReference.nearestSource(26, 13, 27), "27 from 13: floor(26 * 0.4815)");
        assertEquals(0, WindowReference.nearestSource(0, 13, 27));
        assertEquals(6, WindowReference.nearestSource(13, 13, 27), "floor(13 * 0.48148) = 6");
    }
}

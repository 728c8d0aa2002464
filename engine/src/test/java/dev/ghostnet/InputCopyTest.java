package dev.ghostnet;

import dev.ghostnet.kernels.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InputCopyTest {
    private static final int N = 3, C = 3, H = 5, W = 7;

    /** A distinct value per (image, channel, row, column). */
    private static float value(int n, int c, int y, int x) {
        return n * 1000 + c * 100 + y * 10 + x + 0.5f;
    }

    private static float[] nchw() {
        return images(Layout.NCHW);
    }

    private static float[] nhwc() {
        return images(Layout.NHWC);
    }

    /** The N images of {@link #value}s in {@code layout} order. */
    private static float[] images(Layout layout) {
        float[] v = new float[N * C * H * W];
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++) {
                        int at = layout == Layout.NCHW ? ((n * C + c) * H + y) * W + x : ((n * H + y) * W + x) * C + c;
                        v[at] = value(n, c, y, x);
                    }
        return v;
    }

    /** Images 1 and 2 of the input land in slots 0 and 1, in dense and in strided (channel-slice) tensors. */
    @Test
    void copiesEveryLayoutIntoDenseAndStridedTensors() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor dense = Tensor.allocate(arena, 2, H, W, C);
            Tensor strided = Tensor.allocate(arena, 2, H, W, C + 2).channelSlice(1, C);
            ByteBuffer bytes = ByteBuffer.allocateDirect(N * C * H * W * 4).order(ByteOrder.BIG_ENDIAN);
            FloatBuffer bigEndian = bytes.asFloatBuffer().put(nhwc()).flip();
            ImageTensor[] inputs = {ImageTensor.nchw(nchw()), ImageTensor.nhwc(nhwc()),
                    ImageTensor.of(bigEndian, Layout.NHWC)};
            InputCopy copy = new InputCopy(W, C);
            for (ImageTensor input : inputs) {
                for (Tensor target : new Tensor[] {dense, strided}) {
                    target.fill(-1);
                    copy.copy(input, 1, 2, target);
                    for (int n = 0; n < 2; n++)
                        for (int c = 0; c < C; c++)
                            for (int y = 0; y < H; y++)
                                for (int x = 0; x < W; x++)
                                    assertEquals(value(n + 1, c, y, x), target.get(n, y, x, c),
                                            input + " into " + target + " at " + n + "," + c + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void namesTheFirstNonFiniteValueAndRefusesATensorOfAnotherWidth() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor tensor = Tensor.allocate(arena, 1, H, W, C);
            float[] values = nchw();
            values[((2 * C + 1) * H + 4) * W + 6] = Float.POSITIVE_INFINITY;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new InputCopy(W, C).copy(ImageTensor.nchw(values), 2, 1, tensor));
            assertEquals("input value of image 2 at channel 1, row 4, column 6 is Infinity: inputs must be finite",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new InputCopy(W + 1, C).copy(ImageTensor.nchw(nchw()), 0, 1, tensor));
        }
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The blocked weight layout the vector kernels stream, packed at load time: outputs in blocks of
 * {@code blockChannels} (one or two vectors), each block {@code [bias o0..o0+B) [row 0 o0..o0+B) ...
 * [row rows-1 o0..o0+B)]}, off-heap and 64-byte aligned, outputs past the last one zero so weight loads are
 * never masked. A "row" is whatever the kernel walks per step: an input channel (pointwise, squeeze-excite),
 * a tap (depthwise), a (tap, input channel) pair (dense).
 *
 * <p>Scalar and array-only on purpose: it runs once per layer, and keeping vectors out of its signatures keeps
 * it out of the specialised kernel classes' compiled code.
 */
final class Packing {
    private Packing() {}

    /** Blocks needed for {@code outputs} outputs. */
    static int blocks(int outputs, int blockChannels) {
        return (outputs + blockChannels - 1) / blockChannels;
    }

    /** Outputs in the last block (all {@code blockChannels} when it is full). */
    static int lastBlockOutputs(int outputs, int blockChannels) {
        return outputs - (blocks(outputs, blockChannels) - 1) * blockChannels;
    }

    /** Bytes of one block of {@code rows} weight rows plus the bias row. */
    static long blockBytes(int rows, int blockChannels) {
        return (1 + (long) rows) * blockChannels * Float.BYTES;
    }

    /** {@code weights [outputs][rows]} and {@code bias [outputs]} in blocks of {@code blockChannels} outputs. */
    static MemorySegment blocks(Arena arena, float[] weights, float[] bias, int outputs, int rows,
                                int blockChannels) {
        long blockFloats = (1 + (long) rows) * blockChannels;
        MemorySegment packed = arena.allocate(blocks(outputs, blockChannels) * blockFloats * Float.BYTES,
                Tensor.ALIGNMENT);
        for (int o = 0; o < outputs; o++) {
            long base = (long) (o / blockChannels) * blockFloats + o % blockChannels;
            packed.setAtIndex(ValueLayout.JAVA_FLOAT, base, bias[o]);
            for (int r = 0; r < rows; r++) {
                packed.setAtIndex(ValueLayout.JAVA_FLOAT, base + (1 + (long) r) * blockChannels,
                        weights[o * rows + r]);
            }
        }
        return packed;
    }

    /**
     * {@code weights [half][inputs]} and {@code bias [half]} of a layer of half a vector of outputs ({@code half =
     * lanes / 2}, {@code inputs} a multiple of {@code lanes}) by diagonals: first the bias in the low half of a
     * vector (the high half zero), then per {@code lanes} inputs starting at {@code i0}, {@code half} vectors, the
     * k-th holding in lane j the weight of output {@code j % half} and input {@code i0 + (j & half) | ((j + k) %
     * half)}: lane j of the inputs rotated by k within each half.
     */
    static MemorySegment halfVectorDiagonals(Arena arena, float[] weights, float[] bias, int inputs, int lanes) {
        int half = lanes / 2;
        MemorySegment packed = arena.allocate((1 + (long) inputs / lanes * half) * lanes * Float.BYTES,
                Tensor.ALIGNMENT);
        for (int o = 0; o < half; o++) {
            packed.setAtIndex(ValueLayout.JAVA_FLOAT, o, bias[o]);
        }
        long at = lanes;
        for (int i0 = 0; i0 < inputs; i0 += lanes) {
            for (int k = 0; k < half; k++) {
                for (int j = 0; j < lanes; j++) {
                    int input = i0 + ((j & half) | ((j + k) % half));
                    packed.setAtIndex(ValueLayout.JAVA_FLOAT, at++, weights[(j % half) * inputs + input]);
                }
            }
        }
        return packed;
    }

    /**
     * Dense conv weights from PyTorch's {@code [out][in][k][k]} to {@code [out][kh][kw][in]}, the order the
     * dense kernel walks a window (within one window position the input channels are contiguous in NHWC).
     */
    static float[] windowMajor(float[] weights, int inChannels, int outChannels, int k) {
        float[] reordered = new float[weights.length];
        int row = 0;
        for (int o = 0; o < outChannels; o++) {
            for (int kh = 0; kh < k; kh++) {
                for (int kw = 0; kw < k; kw++) {
                    for (int i = 0; i < inChannels; i++) {
                        reordered[row++] = weights[((o * inChannels + i) * k + kh) * k + kw];
                    }
                }
            }
        }
        return reordered;
    }
}

package dev.ghostnet.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor of a checkpoint: its dtype, shape and the little-endian bytes of its elements, dense
 * in row-major order. The bytes may be a slice of a memory-mapped file; they stay valid while the
 * {@link StateDict} that produced this tensor is open.
 */
public record CheckpointTensor(String name, DType dtype, long[] shape, MemorySegment data) {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public CheckpointTensor {
        shape = shape.clone();
        long expected = dtype.bytes();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in "
                        + Arrays.toString(shape));
            }
            expected = Math.multiplyExact(expected, d);
        }
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, has " + data.byteSize());
        }
    }

    /** A float32 tensor over a heap copy of {@code values} (for seeded weights and tests). */
    public static CheckpointTensor ofFloats(String name, long[] shape, float[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, Float.BYTES)]);
        MemorySegment.copy(values, 0, bytes, LE_FLOAT, 0, values.length);
        return new CheckpointTensor(name, DType.F32, shape, bytes);
    }

    public long elementCount() {
        long count = 1;
        for (long d : shape) count *= d;
        return count;
    }

    public long[] shape() {
        return shape.clone();
    }

    /**
     * The elements as floats. float32 is copied; float16 and bfloat16 (half-precision checkpoints) are
     * widened exactly, infinities, NaN and subnormals included; float64 is rounded to the nearest float, as
     * torch's {@code .float()} does. Fails with a message naming the key for any other dtype.
     */
    public float[] toFloatArray() throws CheckpointException {
        if (elementCount() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor '" + name + "' " + Arrays.toString(shape) + " is too large");
        }
        float[] values = new float[(int) elementCount()];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, LE_FLOAT, 0, values, 0, values.length);
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.float16ToFloat(data.getAtIndex(LE_SHORT, i));
                }
            }
            case BF16 -> {
                // bfloat16 is the upper half of a float32: the same sign, exponent and leading mantissa bits.
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat(data.getAtIndex(LE_SHORT, i) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) data.getAtIndex(LE_DOUBLE, i);
                }
            }
            default -> throw new CheckpointException("tensor '" + name + "' has dtype " + dtype
                    + ", expected a floating-point type (float32, float16, bfloat16 or float64)");
        }
        return values;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}

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

    /** The elements as floats; fails with a message naming the key when the tensor is not float32. */
    public float[] toFloatArray() throws CheckpointException {
        if (dtype != DType.F32) {
            throw new CheckpointException("tensor '" + name + "' has dtype " + dtype + ", expected float32");
        }
        if (elementCount() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor '" + name + "' " + Arrays.toString(shape) + " is too large");
        }
        float[] values = new float[(int) elementCount()];
        MemorySegment.copy(data, LE_FLOAT, 0, values, 0, values.length);
        return values;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}

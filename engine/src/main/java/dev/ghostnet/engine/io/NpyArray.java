package dev.ghostnet.engine.io;

import java.util.Arrays;

/** A float32 array as NumPy stores it: a shape and the elements in C (row-major) order. */
public record NpyArray(long[] shape, float[] data) {
    public NpyArray {
        shape = shape.clone();
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            count = Math.multiplyExact(count, d);
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + count + " elements, data has "
                    + data.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}

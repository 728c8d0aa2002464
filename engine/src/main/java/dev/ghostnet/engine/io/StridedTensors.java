package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Turns a strided view of a storage into a dense row-major {@link CheckpointTensor}: a slice of the storage
 * when the view is already dense, otherwise a gathered copy in the state dict's arena. A copy is never
 * larger than the view's storage, so a hostile broadcast (stride 0) cannot allocate more than the file holds.
 */
final class StridedTensors {
    private StridedTensors() {}

    /**
     * @param storage the bytes of the root storage {@code ref.storage().key()}, exactly its element count
     *        times the dtype size
     */
    static CheckpointTensor dense(String source, String name, TensorRef ref, MemorySegment storage, Arena arena)
            throws CheckpointException {
        StorageRef s = ref.storage();
        DType dtype = s.dtype();
        long[] size = ref.size();
        long[] stride = ref.stride();
        String what = source + ": tensor '" + name + "' " + Arrays.toString(size) + " strides " + Arrays.toString(stride)
                + " offset " + ref.offset();
        long count = 1;
        long lastIndex = ref.offset();
        try {
            for (int d = 0; d < size.length; d++) {
                if (size[d] < 0 || stride[d] < 0) throw new CheckpointException(what + ": negative size or stride");
                count = Math.multiplyExact(count, size[d]);
                if (size[d] > 0) lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException e) {
            throw new CheckpointException(what + ": sizes overflow");
        }
        if (ref.offset() < 0 || ref.offset() > s.viewNumel()) {
            throw new CheckpointException(what + ": offset outside its storage '" + s.key() + "' of " + s.viewNumel() + " elements");
        }
        int e = dtype.bytes();
        long base = s.viewOffset() + ref.offset();
        if (count == 0) return new CheckpointTensor(name, dtype, size, storage.asSlice(0, 0));
        if (lastIndex >= s.viewNumel()) {
            throw new CheckpointException(what + ": reaches element " + lastIndex + " but storage '" + s.key() + "' has "
                    + s.viewNumel());
        }
        if (isDense(size, stride)) {
            return new CheckpointTensor(name, dtype, size, storage.asSlice(base * e, count * e));
        }
        if (count > s.viewNumel() - ref.offset()) {
            throw new CheckpointException(what + ": has " + count + " elements but only " + (s.viewNumel() - ref.offset())
                    + " remain in storage '" + s.key() + "' (an expanded/broadcast view); save a .contiguous() copy");
        }
        MemorySegment dense = arena.allocate(count * e, 64);
        gather(storage, base, size, stride, e, dense);
        return new CheckpointTensor(name, dtype, size, dense);
    }

    /** Row-major dense: each stride is the product of the later sizes (dimensions of size 1 do not matter). */
    static boolean isDense(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }

    /** dst[i0, ..., in] = src[base + Σ i_k·stride_k], in row-major order of i; runs along the last axis. */
    private static void gather(MemorySegment src, long base, long[] size, long[] stride, int e, MemorySegment dst) {
        int rank = size.length;
        long inner = size[rank - 1];
        long innerStride = stride[rank - 1];
        long[] index = new long[rank];
        long out = 0;
        long rows = dst.byteSize() / e / inner;
        for (long row = 0; row < rows; row++) {
            long at = base;
            for (int d = 0; d < rank - 1; d++) at += index[d] * stride[d];
            if (innerStride == 1) {
                MemorySegment.copy(src, at * e, dst, out, inner * e);
                out += inner * e;
            } else {
                for (long i = 0; i < inner; i++, out += e) {
                    MemorySegment.copy(src, (at + i * innerStride) * e, dst, out, e);
                }
            }
            for (int d = rank - 2; d >= 0 && ++index[d] == size[d]; d--) index[d] = 0;
        }
    }
}

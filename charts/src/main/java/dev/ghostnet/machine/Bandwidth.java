package dev.ghostnet.machine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Read bandwidth of one core, measured: vector loads summed into four accumulators over an off-heap buffer,
 * swept again and again. A buffer of {@value #L2_BYTES} bytes stays in L2 (1 MiB or more per core on the
 * x86 server cores this runs on; half of it leaves room for the code and the stack), swept whole; one of
 * {@value #MEMORY_BYTES} bytes is far larger than any L3 here, so it streams from memory, swept
 * {@value #CHUNK_BYTES} bytes at a time in order (each chunk was last read a whole sweep ago, long evicted).
 * Best of short samples ({@link Sampling}), like {@link FmaPeak}: a ceiling.
 */
public final class Bandwidth {
    public static final long L2_BYTES = 512L * 1024;
    public static final long MEMORY_BYTES = 256L * 1024 * 1024;
    static final long CHUNK_BYTES = 256L * 1024;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Both bandwidths in GB/s (1e9 bytes per second). */
    public record Measured(double l2GbPerSecond, double memoryGbPerSecond) {}

    private Bandwidth() {}

    public static Measured measure() {
        return new Measured(gbPerSecond(L2_BYTES), gbPerSecond(MEMORY_BYTES));
    }

    static double gbPerSecond(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            for (long i = 0; i < bytes / Float.BYTES; i++) {
                buffer.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 7) * 1e-3f);
            }
            // Short calls first, so the loop reaches C2 by its invocation count (see FmaPeak).
            float sink = 0;
            for (int i = 0; i < FmaPeak.JIT_CALLS; i++) sink += sum(buffer, 4L * SPECIES.vectorByteSize());
            if (Float.isNaN(sink)) throw new IllegalStateException("bandwidth loop produced NaN");
            long chunk = Math.min(bytes, CHUNK_BYTES);
            long[] next = {0};
            return Sampling.best(() -> {
                float sum = sum(buffer.asSlice(next[0], chunk), chunk);
                next[0] = (next[0] + chunk) % bytes;
                return sum;
            }, chunk);
        }
    }

    /** Sum of the first {@code bytes} of the buffer, a multiple of four vectors. */
    private static float sum(MemorySegment buffer, long bytes) {
        long step = SPECIES.vectorByteSize();
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
        for (long offset = 0; offset < bytes; offset += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset, ByteOrder.nativeOrder()));
            a1 = a1.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + step, ByteOrder.nativeOrder()));
            a2 = a2.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 2 * step, ByteOrder.nativeOrder()));
            a3 = a3.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 3 * step, ByteOrder.nativeOrder()));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Loads every implementation class of {@link MemorySegment} before the first kernel is compiled.
 *
 * <p>Why: C2 compiles a kernel's segment accesses against the segment classes loaded so far (class hierarchy
 * analysis). A class loaded later, the first array-backed segment of a caller's {@code float[]} input say,
 * invalidates that code: measured on the Zen 5, the public API's first {@code logits(float[])} after the
 * warm-up deoptimized {@code VectorDepthwiseConv.run}, {@code runPairedGhost} and {@code VectorDenseConv.copyRow}
 * ("marked for deoptimization"), and the next inferences ran in C1 code until C2 had compiled them again.
 */
final class SegmentClasses {
    private static final String MAPPED = "jdk.internal.foreign.MappedMemorySegmentImpl";

    private SegmentClasses() {}

    /** Idempotent and cheap: one tiny segment per array type, and the mapped segments' class by name. */
    static void load() {
        MemorySegment.ofArray(new byte[1]);
        MemorySegment.ofArray(new char[1]);
        MemorySegment.ofArray(new short[1]);
        MemorySegment.ofArray(new int[1]);
        MemorySegment.ofArray(new long[1]);
        MemorySegment.ofArray(new float[1]);
        MemorySegment.ofArray(new double[1]);
        try {
            Class.forName(MAPPED, false, MemorySegment.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // another JDK's internals: nothing to preload, the kernels still run
        }
    }
}

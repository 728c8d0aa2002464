package dev.ghostnet.kernels;

import java.util.Arrays;

/**
 * A per-thread scratch for the window kernels ({@link VectorDepthwiseConv}, {@link VectorDenseConv}): the input
 * rows a window needs, copied with their zero padding so that every load in the kernels' column loops has a
 * constant index scale (C2 then hoists the bounds checks out of the loop), plus whatever per-row scratch a kernel
 * keeps after them. Grown on a thread's first use and then reused, so steady-state inference allocates nothing
 * on a long-lived thread; a caller that starts a new thread per inference (a virtual thread per request, say)
 * allocates one ring per thread, {@value #MIN_FLOATS} floats (64 KB), enough for GhostNet up to about 448x448
 * (224x224 needs 7,408 at 512 bits).
 * Why not just what the first call needs: growing it later, in a kernel C2 has compiled, is a branch the
 * profile never saw taken, so it deoptimizes the kernel's driver. Measured on the Zen 5: the first 224x224
 * inference after the 96x96 warm-up deoptimized {@code VectorDepthwiseConv.run} ({@code RowRing.get},
 * "unstable_if"), and inferences 2-23 ran at 6.2 ms against a steady 3.9 until C2 had compiled it again.
 * A kernel call takes it and gives it up before it returns (kernels never call each other), so the kernels of a
 * thread can share one.
 */
final class RowRing {
    private static final ThreadLocal<RowRing> PER_THREAD = ThreadLocal.withInitial(RowRing::new);

    /** The copied rows, then the kernel's own scratch. */
    float[] rows = new float[0];
    /** For the output row being computed: where kernel row kh's input row starts in {@link #rows}. */
    int[] bases = new int[0];
    /** Which input row each slot holds (a kernel's own numbering), -1 for none. */
    private int[] tags = new int[0];

    /** The smallest ring a thread gets, see the class comment. */
    static final int MIN_FLOATS = 16_384;
    private static final int MIN_SLOTS = 8;

    private RowRing() {}

    /** This thread's ring with room for {@code floats} floats and {@code slots} rows. */
    static RowRing get(int floats, int slots) {
        RowRing ring = PER_THREAD.get();
        if (ring.rows.length < floats) {
            ring.rows = new float[Math.max(floats, MIN_FLOATS)];
        }
        if (ring.tags.length < slots) {
            ring.tags = new int[Math.max(slots, MIN_SLOTS)];
            ring.bases = new int[Math.max(slots, MIN_SLOTS)];
        }
        return ring;
    }

    /** Forgets what the first {@code slots} slots hold, so every row is copied afresh. */
    void forget(int slots) {
        Arrays.fill(tags, 0, slots, -1);
    }

    /**
     * Makes kernel row {@code kh} of the current window padded input row {@code padded}, whose slot is
     * {@code padded % slots} ({@code slots} consecutive rows never share one); {@code tag} names that row
     * uniquely within the kernel's call. Returns where the row must be copied in {@link #rows}, or -1 when the
     * slot holds it already.
     */
    int place(int kh, int padded, int tag, int slots, int rowFloats) {
        int slot = padded % slots;
        bases[kh] = slot * rowFloats;
        if (tags[slot] == tag) {
            return -1;
        }
        tags[slot] = tag;
        return bases[kh];
    }
}

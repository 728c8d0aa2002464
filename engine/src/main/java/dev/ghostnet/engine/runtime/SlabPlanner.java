package dev.ghostnet.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Shares activation memory between tensors whose lifetimes do not overlap. Tensors are offered in the order
 * their first writer runs; a tensor takes the free slab closest above its size (or grows the largest free
 * one, or opens a new one) and gives it back after the last step that touches it. A step's inputs are
 * released only after its outputs are placed, so no step reads and writes one slab through two tensors.
 */
final class SlabPlanner {
    private final List<Long> sizes = new ArrayList<>();
    /** The last step that uses each slab's current tenant; a slab is free for steps after it. */
    private final List<Integer> busyUntil = new ArrayList<>();

    /** Places a tensor of {@code floats} used by steps {@code [firstStep, lastStep]}; returns its slab. */
    int place(long floats, int firstStep, int lastStep) {
        int best = -1;
        for (int s = 0; s < sizes.size(); s++) {
            if (busyUntil.get(s) >= firstStep) continue;
            if (best < 0 || fitsBetter(sizes.get(s), sizes.get(best), floats)) best = s;
        }
        if (best < 0) {
            sizes.add(floats);
            busyUntil.add(lastStep);
            return sizes.size() - 1;
        }
        sizes.set(best, Math.max(sizes.get(best), floats));
        busyUntil.set(best, lastStep);
        return best;
    }

    /** Slab sizes in floats, by slab index. */
    List<Long> sizes() {
        return List.copyOf(sizes);
    }

    /** Of two free slabs, prefer the smallest that fits; if neither fits, the larger (it grows least). */
    private static boolean fitsBetter(long candidate, long current, long need) {
        boolean candidateFits = candidate >= need;
        boolean currentFits = current >= need;
        if (candidateFits != currentFits) return candidateFits;
        return candidateFits ? candidate < current : candidate > current;
    }
}

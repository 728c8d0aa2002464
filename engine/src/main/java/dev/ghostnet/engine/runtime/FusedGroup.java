package dev.ghostnet.engine.runtime;

import java.util.List;

/**
 * Consecutive steps of a plan computed band by band of rows, so that each step reads
 * its input rows while the step before has just written them (in the caches) instead of after the whole
 * tensor went out to L3 or memory: a ghost module's primary 1x1 conv and its cheap depthwise conv, a
 * stride-2 depthwise conv with the module before it, and the 1x1 conv after it.
 *
 * <p>Every tensor is still written whole (later steps and callers read it), and the results are the ones the
 * steps give run one after another, bit for bit: bands of a 1x1 conv end where its tiles would
 * ({@link RowStep#rowAlignment}), and a windowed conv computes a row the same whatever the band. The plan
 * keeps the group's tensors alive over the whole group ({@link ExecutionPlan}), because a step's slab may
 * otherwise be reused by a later step of the group while an earlier one still has rows to read.
 *
 * <p>Runs on one thread: the layer-by-layer path, where steps split rows over threads, runs the members one by
 * one instead.
 */
final class FusedGroup {
    /**
     * Rows of the group's tensors a band should touch at most, about one core's L2. Measured on a Zen 5 (1 MB L2),
     * fused groups against their steps one by one in {@code bench --profile}: with 256 KB the bands of the
     * 112x112 groups were 2-7 rows and the groups took 1.00-1.24x their steps' time (each band re-reads a
     * window's halo rows and restarts every kernel's loops); with 1 MB, 0.96-1.06x.
     */
    static final long BAND_BYTES = 1024 * 1024;

    /** The steps {@code [from, to)} of the plan. */
    final int from;
    final int to;
    private final RowStep[] members;
    /** For member m: the members whose output it reads as input (the rows its window needs). */
    private final int[][] inputProducers;
    /** For member m: the members whose output it reads as its residual (the rows it writes). */
    private final int[][] residualProducers;
    private final int bandRows;
    /** Per member, the end of the output rows done so far in the current run (one thread runs a group at a time). */
    private final int[] done;
    /** Per member, the end of the output rows of the current run. */
    private final int[] end;

    FusedGroup(int from, List<RowStep> members, int[][] inputProducers, int[][] residualProducers) {
        this.from = from;
        this.to = from + members.size();
        this.members = members.toArray(RowStep[]::new);
        this.inputProducers = inputProducers;
        this.residualProducers = residualProducers;
        this.done = new int[members.size()];
        this.end = new int[members.size()];
        RowStep last = this.members[this.members.length - 1];
        double bytesPerLastRow = 0;
        for (RowStep m : this.members) {
            bytesPerLastRow += rowBytes(m) * m.outputRows() / (double) last.outputRows();
        }
        this.bandRows = (int) Math.max(1, Math.min(last.outputRows(), BAND_BYTES / bytesPerLastRow));
    }

    /** Bytes of one row of a member's output tensor, its other channels included (they share cache lines). */
    private static double rowBytes(RowStep m) {
        return (double) m.output().width() * m.output().channelStride() * Float.BYTES;
    }

    /** Rows of the last member per band. */
    int bandRows() {
        return bandRows;
    }

    /**
     * Runs every member on images {@code [imageFrom, imageTo)}, as one tall image: a band may span two images (the
     * kernels number rows over the batch), so a 1x1 conv's tiles fall where one call over the batch puts them.
     */
    void run(int imageFrom, int imageTo) {
        for (int m = 0; m < members.length; m++) {
            done[m] = imageFrom * members[m].outputRows();
            end[m] = imageTo * members[m].outputRows();
        }
        int last = members.length - 1;
        for (int band = Math.min(end[last], done[last] + bandRows); ; band = Math.min(end[last], band + bandRows)) {
            ensure(last, band);
            if (band == end[last]) {
                break;
            }
        }
        // Rows no later member of the group needed (a 1x1 conv's output read only after the group) are still due.
        for (int m = 0; m < last; m++) {
            ensure(m, end[m]);
        }
    }

    /** Computes member {@code m}'s output rows up to {@code rowEnd}, and first the rows they read. */
    private void ensure(int m, int rowEnd) {
        RowStep step = members[m];
        int alignment = step.rowAlignment();
        int to = Math.min(end[m], (rowEnd + alignment - 1) / alignment * alignment);
        if (to <= done[m]) {
            return;
        }
        int inputEnd = step.inputRowsEnd(to);
        for (int p : inputProducers[m]) {
            ensure(p, inputEnd);
        }
        for (int p : residualProducers[m]) {
            ensure(p, to);
        }
        step.runRows(done[m], to);
        done[m] = to;
    }
}

package dev.ghostnet.engine.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * Consecutive steps of a plan computed band by band of rows, one image at a time, so that each step reads
 * its input rows while the step before has just written them (in the caches) instead of after the whole
 * tensor went out to L3 or memory: a ghost module's primary 1x1 conv and its cheap depthwise conv, a
 * stride-2 depthwise conv with the module before it, and the 1x1 conv after it.
 *
 * <p>Every tensor is still written whole (later steps and callers read it), so the results are the ones the
 * steps give run one after another, bit for bit: bands of a 1x1 conv end where its tiles would
 * ({@link RowStep#rowAlignment}), and a windowed conv computes a row the same whatever the band. The plan
 * keeps the group's tensors alive over the whole group ({@link Fusion#extend}), because a step's slab may
 * otherwise be reused by a later step of the group while an earlier one still has rows to read.
 *
 * <p>Runs on one thread: the layer-by-layer path, where steps split rows over threads, runs the members one by
 * one instead.
 */
final class FusedGroup {
    /** Rows of the group's tensors a band should touch at most: about a quarter of a 1-2 MB L2 per core. */
    static final long BAND_BYTES = 256 * 1024;

    /** The steps {@code [from, to)} of the plan. */
    final int from;
    final int to;
    private final RowStep[] members;
    /** For member m: the members whose output it reads as input (the rows its window needs). */
    private final int[][] inputProducers;
    /** For member m: the members whose output it reads as its residual (the rows it writes). */
    private final int[][] residualProducers;
    private final int bandRows;
    /** Per member, output rows of the current image done so far (one thread runs the group at a time). */
    private final int[] done;

    FusedGroup(int from, List<RowStep> members, int[][] inputProducers, int[][] residualProducers, long bandBytes) {
        this.from = from;
        this.to = from + members.size();
        this.members = members.toArray(RowStep[]::new);
        this.inputProducers = inputProducers;
        this.residualProducers = residualProducers;
        this.done = new int[members.size()];
        RowStep last = this.members[this.members.length - 1];
        double bytesPerLastRow = 0;
        for (RowStep m : this.members) {
            bytesPerLastRow += rowBytes(m) * m.outputRows() / (double) last.outputRows();
        }
        this.bandRows = (int) Math.max(1, Math.min(last.outputRows(), bandBytes / bytesPerLastRow));
    }

    /** Bytes of one row of a member's output tensor, its other channels included (they share cache lines). */
    private static double rowBytes(RowStep m) {
        return (double) m.output().width() * m.output().channelStride() * Float.BYTES;
    }

    /** Rows of the last member per band. */
    int bandRows() {
        return bandRows;
    }

    /** The members' names, in order. */
    List<String> memberNames() {
        return Arrays.stream(members).map(Step::name).toList();
    }

    /** Runs every member on images {@code [imageFrom, imageTo)}. */
    void run(int imageFrom, int imageTo) {
        int last = members.length - 1;
        int rows = members[last].outputRows();
        for (int n = imageFrom; n < imageTo; n++) {
            Arrays.fill(done, 0);
            for (int end = Math.min(rows, bandRows); ; end = Math.min(rows, end + bandRows)) {
                ensure(n, last, end);
                if (end == rows) {
                    break;
                }
            }
            // Rows no later member of the group needed (a 1x1 conv's output read only after the group) are still due.
            for (int m = 0; m < last; m++) {
                ensure(n, m, members[m].outputRows());
            }
        }
    }

    /** Computes member {@code m}'s output rows up to {@code rowEnd} of image {@code n}, and first what they read. */
    private void ensure(int n, int m, int rowEnd) {
        RowStep step = members[m];
        int end = alignedEnd(step, rowEnd);
        if (end <= done[m]) {
            return;
        }
        int inputEnd = step.inputRowsEnd(end);
        for (int p : inputProducers[m]) {
            ensure(n, p, inputEnd);
        }
        for (int p : residualProducers[m]) {
            ensure(n, p, end);
        }
        step.runRows(n, done[m], end);
        done[m] = end;
    }

    private static int alignedEnd(RowStep step, int rowEnd) {
        int alignment = step.rowAlignment();
        return Math.min(step.outputRows(), (rowEnd + alignment - 1) / alignment * alignment);
    }
}

package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.LayerSpec;
import dev.ghostnet.engine.model.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which consecutive layers of a model run as one {@link FusedGroup}, decided from the model description before
 * the plan places its tensors (a group keeps them alive longer).
 *
 * <p>A group starts at any 1x1, depthwise or dense conv whose output is at least {@link #MIN_WIDTH} wide and
 * takes each following such layer that reads the output of a layer already in it, as long as that layer writes
 * no channels the group reads or writes already (a later band would otherwise read what a later member had
 * overwritten). So a ghost module and the stride-2 depthwise after it fuse; an add, a squeeze-excite (both in
 * place) or a layer reading the block's input (the shortcut) ends the group.
 */
final class Fusion {
    /**
     * Narrower maps are not fused: their tensors fit the caches whole (14x14x960 floats are 750 KB), and a 1x1 conv
     * band must end on a multiple of 8 pixels, which at 14 or 7 columns leaves few bands.
     */
    static final int MIN_WIDTH = 28;

    private Fusion() {}

    /**
     * The groups of {@code layers} as {@code [from, to)} layer ranges of at least two layers. {@code rowwise}
     * says which layers run as a {@link RowStep}; {@code outputWidth} gives each layer's output width.
     */
    static List<int[]> groups(List<LayerSpec> layers, IntPredicate rowwise, int[] outputWidth) {
        List<int[]> groups = new ArrayList<>();
        int i = 0;
        while (i < layers.size()) {
            int end = i + 1;
            if (fusable(i, rowwise, outputWidth)) {
                while (end < layers.size() && fusable(end, rowwise, outputWidth) && joins(layers, i, end)) {
                    end++;
                }
            }
            if (end - i >= 2) {
                groups.add(new int[] {i, end});
            }
            i = end;
        }
        return groups;
    }

    private static boolean fusable(int i, IntPredicate rowwise, int[] outputWidth) {
        return rowwise.test(i) && outputWidth[i] >= MIN_WIDTH;
    }

    /** Whether layer {@code j} may join the group of layers {@code [from, j)}. */
    private static boolean joins(List<LayerSpec> layers, int from, int j) {
        LayerSpec candidate = layers.get(j);
        boolean readsGroup = false;
        for (int m = from; m < j; m++) {
            LayerSpec member = layers.get(m);
            readsGroup |= overlaps(candidate.input(), member.output());
            if (overlaps(candidate.output(), member.input()) || overlaps(candidate.output(), member.output())
                    || overlaps(candidate.output(), member.residual())) {
                return false;
            }
        }
        return readsGroup && !overlaps(candidate.output(), candidate.input());
    }

    /** Members {@code [0, member)} of a group whose output overlaps {@code read}. */
    static int[] producers(List<LayerSpec> group, int member, LayerSpec.Slice read) {
        List<Integer> found = new ArrayList<>();
        for (int m = 0; m < member; m++) {
            if (overlaps(read, group.get(m).output())) {
                found.add(m);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean overlaps(LayerSpec.Slice a, LayerSpec.Slice b) {
        return a != null && b != null && a.tensor().equals(b.tensor()) && a.from() < b.end() && b.from() < a.end();
    }

    /** Whether the plan can run layer {@code op} as a {@link RowStep} given the kernel the model prepared for it. */
    static boolean rowwise(Op op, boolean windowKernel) {
        return op instanceof Op.Pointwise || op instanceof Op.Conv || (op instanceof Op.Depthwise && !windowKernel);
    }
}

package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.LayerSpec;
import dev.ghostnet.engine.model.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Where an identity shortcut's add folds into the ghost module before it, so no add step remains.
 *
 * <p>The pattern: a 1x1 conv writes a ghost module's primary half {@code X[a, a+c)}, a stride-1 depthwise conv
 * reads exactly that half and writes the cheap half {@code X[a+c, a+2c)} (plus its half of the shortcut), then an
 * add puts the block input's other half {@code R} onto the primary half in place. The plan then has the 1x1 conv
 * write the primary half to a scratch tensor of its own, and the depthwise conv write {@code X[a, a+c) = scratch +
 * R} as it reads the scratch ({@link dev.ghostnet.kernels.DepthwiseConv#runWithShortcut}). In place, the add
 * could not move into the depthwise conv: a conv running other rows (another thread, a later band) still reads
 * the primary half's rows next to its own.
 */
final class ShortcutFolding {
    /**
     * One folded shortcut: layer indices of the 1x1 conv, the depthwise conv and the add, and the name of the
     * scratch tensor the 1x1 conv writes instead of the primary half.
     */
    record Folded(int pointwise, int depthwise, int add, String scratch, int channels) {}

    private ShortcutFolding() {}

    /** Every foldable pattern of {@code layers}; {@code rowDepthwise} says which depthwise layers can fold one. */
    static List<Folded> find(List<LayerSpec> layers, IntPredicate rowDepthwise) {
        List<Folded> found = new ArrayList<>();
        for (int i = 0; i + 2 < layers.size(); i++) {
            LayerSpec pw = layers.get(i);
            LayerSpec dw = layers.get(i + 1);
            LayerSpec add = layers.get(i + 2);
            LayerSpec.Slice primary = pw.output();
            boolean matches = pw.op() instanceof Op.Pointwise
                    && dw.op() instanceof Op.Depthwise d && d.window().stride() == 1 && rowDepthwise.test(i + 1)
                    && dw.input().equals(primary)
                    && dw.output().tensor().equals(primary.tensor()) && dw.output().from() == primary.end()
                    && add.op() instanceof Op.Add && add.input().equals(primary) && add.output().equals(primary)
                    && add.residual() != null && !add.residual().tensor().equals(primary.tensor());
            if (matches) {
                found.add(new Folded(i, i + 1, i + 2, primary.tensor() + "#primary", primary.count()));
            }
        }
        return found;
    }
}

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
 *
 * <p>A ghost module without such an add folds too where its depthwise kernel {@link
 * dev.ghostnet.kernels.DepthwiseConv#pairsHalfVectors pairs half vectors}: the 1x1 conv writes the scratch, and the
 * depthwise conv copies it to the primary half as it reads it (a shortcut without residual), storing whole
 * pixels. For a layer of half a vector per half that is cheaper than both convs' masked half stores.
 */
final class ShortcutFolding {
    /**
     * One folded shortcut: layer indices of the 1x1 conv, the depthwise conv and the add (-1 for a copy, no add),
     * and the name of the scratch tensor the 1x1 conv writes instead of the primary half.
     */
    record Folded(int pointwise, int depthwise, int add, String scratch, int channels) {
        boolean copy() {
            return add < 0;
        }
    }

    private ShortcutFolding() {}

    /**
     * Every foldable pattern of {@code layers}; {@code rowDepthwise} says which depthwise layers can fold one,
     * {@code pairsHalves} which of them also fold a copy (their kernel's paired path applies to their tensors).
     */
    static List<Folded> find(List<LayerSpec> layers, IntPredicate rowDepthwise, IntPredicate pairsHalves) {
        List<Folded> found = new ArrayList<>();
        for (int i = 0; i + 1 < layers.size(); i++) {
            LayerSpec pw = layers.get(i);
            LayerSpec dw = layers.get(i + 1);
            LayerSpec.Slice primary = pw.output();
            boolean ghost = pw.op() instanceof Op.Pointwise && ghostHalves(pw, dw)
                    && dw.op() instanceof Op.Depthwise d && d.window().stride() == 1 && rowDepthwise.test(i + 1);
            if (!ghost) {
                continue;
            }
            LayerSpec add = i + 2 < layers.size() ? layers.get(i + 2) : null;
            boolean shortcut = add != null && add.op() instanceof Op.Add && add.input().equals(primary)
                    && add.output().equals(primary)
                    && add.residual() != null && !add.residual().tensor().equals(primary.tensor());
            if (shortcut) {
                found.add(new Folded(i, i + 1, i + 2, primary.tensor() + "#primary", primary.count()));
            } else if (pairsHalves.test(i + 1) && dw.residual() == null) {
                found.add(new Folded(i, i + 1, -1, primary.tensor() + "#primary", primary.count()));
            }
        }
        return found;
    }

    /**
     * Whether {@code cheap} is a depthwise conv that reads exactly {@code primary}'s output and writes the channels
     * right after it in the same tensor: a ghost module's two halves.
     */
    static boolean ghostHalves(LayerSpec primary, LayerSpec cheap) {
        LayerSpec.Slice out = primary.output();
        return cheap.op() instanceof Op.Depthwise && cheap.input().equals(out)
                && cheap.output().tensor().equals(out.tensor()) && cheap.output().from() == out.end();
    }
}

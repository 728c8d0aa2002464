package dev.ghostnet.engine.model;

import java.util.List;

import static dev.ghostnet.kernels.Activation.NONE;

/**
 * GhostNetV2 (Tang et al., NeurIPS 2022) as a {@link ModelDescription}, in timm's state_dict names
 * ({@code ghostnetv2_100} and its siblings): GhostNet v1's skeleton ({@link GhostNetV1}) where the ghost1
 * module of every bottleneck from {@code blocks.2.0} on adds DFC attention, computed from the module's input:
 *
 * <pre>
 * attn.pool        average pool 2x2/2 (floor)                      -
 * attn.conv        1x1 conv in->mid + BN                           ghost1.short_conv.0, .1
 * attn.horizontal  depthwise 1x5, padding (0, 2) + BN              ghost1.short_conv.2, .3
 * attn.vertical    depthwise 5x1, padding (2, 0) + BN              ghost1.short_conv.4, .5
 * attn.gate        ghost1 output *= sigmoid(nearest upsample of vertical to its size)
 * </pre>
 * No activation inside the branch; the gate multiplies the module's ReLU'd output.
 */
public final class GhostNetV2 {
    private GhostNetV2() {}

    /** timm gives {@code blocks.0.0} and {@code blocks.1.0} the plain ghost module. */
    private static final int FIRST_ATTENTION_BLOCK = 2;

    /** GhostNet v2 for {@code config}'s width and classes; reached through {@link GhostNetConfig#describe}. */
    static ModelDescription describe(GhostNetConfig config) {
        return GhostNetV1.describe(config, GhostNetV2::dfcAttention);
    }

    private static void dfcAttention(DescriptionBuilder net, int block, String module, LayerSpec.Slice in,
                                     LayerSpec.Slice out) {
        if (block < FIRST_ATTENTION_BLOCK) {
            return;
        }
        String attn = module + ".attn";
        String keys = module + ".short_conv.";
        int mid = out.count();
        LayerSpec.Slice pooled = net.tensor(attn + ".pool", in.count());
        net.layer(attn + ".pool", new Op.AveragePool(in.count(), 2, 2), List.of(), in, pooled,
                null);
        LayerSpec.Slice conv = net.tensor(attn + ".conv", mid);
        net.layer(attn + ".conv", new Op.Pointwise(in.count(), mid, NONE),
                List.of(GhostNetV1.convBn(keys + "0", keys + "1", mid, in.count(), 1, 1, false)), pooled, conv, null);
        LayerSpec.Slice horizontal = net.tensor(attn + ".horizontal", mid);
        net.layer(attn + ".horizontal", new Op.Depthwise(mid, new Op.Window(1, 5, 1, 0, 2), NONE),
                List.of(GhostNetV1.convBn(keys + "2", keys + "3", mid, 1, 1, 5, false)), conv, horizontal, null);
        LayerSpec.Slice vertical = net.tensor(attn + ".vertical", mid);
        net.layer(attn + ".vertical", new Op.Depthwise(mid, new Op.Window(5, 1, 1, 2, 0), NONE),
                List.of(GhostNetV1.convBn(keys + "4", keys + "5", mid, 1, 5, 1, false)), horizontal, vertical, null);
        net.layer(attn + ".gate", new Op.SigmoidGate(mid), List.of(), vertical, out, null);
    }
}

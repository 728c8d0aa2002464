package dev.ghostnet.engine.model;

import dev.ghostnet.kernels.Activation;

import java.util.List;

import static dev.ghostnet.kernels.Activation.NONE;
import static dev.ghostnet.kernels.Activation.RELU;

/**
 * GhostNet v1 (Han et al., CVPR 2020) as a {@link ModelDescription}, in the official implementation's
 * state_dict names (shared by timm's {@code ghostnet_100}). Reads top to bottom like the paper's table:
 *
 * <pre>
 * stem       conv 3x3/2 3->16 + BN + ReLU                      conv_stem, bn1
 * blocks.S.B ghost bottleneck (table below), output S.B
 *   ghost1   ghost module in->mid, ReLU: primary 1x1 to ceil(mid/2), cheap depthwise 3x3 on those
 *   conv_dw  depthwise kxk/2 + BN                     (stride 2 only)
 *   se       squeeze-excite mid->se(mid)->mid         (SE blocks only)
 *   ghost2   ghost module mid->out, no activation, + shortcut
 *   shortcut identity (in == out, stride 1) or depthwise kxk/s + BN, 1x1 in->out + BN   shortcut.0-3
 * blocks.9   1x1 conv 160->960 + BN + ReLU                     blocks.9.0.conv, blocks.9.0.bn1
 * pooled     global average pool
 * head       1x1 conv 960->1280 with bias + ReLU (on a 1x1 map: a linear layer)   conv_head
 * logits     linear 1280->classes                               classifier
 * </pre>
 */
public final class GhostNetV1 {
    private GhostNetV1() {}

    /** One row of the cfg table, before the width multiplier; {@code se} is the squeeze-excite ratio (0: none). */
    private record Row(int kernel, int mid, int out, float se, int stride) {}

    /** k, mid, out, se ratio, stride; grouped into stages as the official code groups them (blocks.S.B). */
    private static final List<List<Row>> STAGES = List.of(
            List.of(new Row(3, 16, 16, 0, 1)),
            List.of(new Row(3, 48, 24, 0, 2)),
            List.of(new Row(3, 72, 24, 0, 1)),
            List.of(new Row(5, 72, 40, 0.25f, 2)),
            List.of(new Row(5, 120, 40, 0.25f, 1)),
            List.of(new Row(3, 240, 80, 0, 2)),
            List.of(new Row(3, 200, 80, 0, 1),
                    new Row(3, 184, 80, 0, 1),
                    new Row(3, 184, 80, 0, 1),
                    new Row(3, 480, 112, 0.25f, 1),
                    new Row(3, 672, 112, 0.25f, 1)),
            List.of(new Row(5, 672, 160, 0.25f, 2)),
            List.of(new Row(5, 960, 160, 0, 1),
                    new Row(5, 960, 160, 0.25f, 1),
                    new Row(5, 960, 160, 0, 1),
                    new Row(5, 960, 160, 0.25f, 1)));

    private static final int STEM_CHANNELS = 16;
    private static final int LAST_CONV_CHANNELS = 960;
    /** Not scaled by the width. */
    private static final int HEAD_CHANNELS = 1280;
    /** The strides (relative to the input) at which the last bottleneck's output is a feature map. */
    private static final List<Integer> FEATURE_STRIDES = List.of(8, 16, 32);

    /** GhostNet v1 for {@code config}'s width and classes; reached through {@link GhostNetConfig#describe}. */
    static ModelDescription describe(GhostNetConfig config) {
        return describe(config, (net, block, module, in, out) -> {});
    }

    /**
     * What a variant adds to a bottleneck's ghost1 module, after its primary and cheap layers: GhostNet v2's
     * DFC attention gate. {@code block} counts bottlenecks from 0; {@code in} is the module's input, {@code out}
     * its output.
     */
    interface Ghost1Extension {
        void extend(DescriptionBuilder net, int block, String module, LayerSpec.Slice in, LayerSpec.Slice out);
    }

    /** The GhostNet skeleton shared by the variants: stem, the cfg table's bottlenecks, head. */
    static ModelDescription describe(GhostNetConfig config, Ghost1Extension ghost1) {
        DescriptionBuilder net = new DescriptionBuilder(config, "input", 3);
        int stem = config.scaled(STEM_CHANNELS);
        net.layer("stem", new Op.Conv(3, stem, Op.Window.square(3, 2), RELU),
                List.of(convBn("conv_stem", "bn1", stem, 3, 3, 3, false)), net.whole("input"), net.tensor("stem", stem),
                null);
        net.stage("stem", 0);

        String x = "stem";
        int in = stem;
        int stride = 2;
        int index = 0;
        for (int s = 0; s < STAGES.size(); s++) {
            for (int b = 0; b < STAGES.get(s).size(); b++) {
                Row row = STAGES.get(s).get(b);
                String block = "blocks." + s + "." + b;
                int out = config.scaled(row.out());
                stride *= row.stride();
                bottleneck(net, index++, block, x, in, config.scaled(row.mid()), out, row, ghost1,
                        lastAtItsStride(s, b) && FEATURE_STRIDES.contains(stride) ? stride : 0);
                x = block;
                in = out;
            }
        }

        String lastStage = "blocks." + STAGES.size();
        String last = lastStage + ".0";
        int lastConv = config.scaled(LAST_CONV_CHANNELS);
        net.layer(last, new Op.Pointwise(in, lastConv, RELU),
                List.of(convBn(last + ".conv", last + ".bn1", lastConv, in, 1, 1, false)), net.whole(x),
                net.tensor(lastStage, lastConv), null);
        net.stage(lastStage, 0);
        net.layer("pooled", new Op.GlobalAveragePool(lastConv), List.of(), net.whole(lastStage),
                net.tensor("pooled", lastConv), null);
        net.stage("pooled", 0);
        net.layer("conv_head", new Op.Linear(lastConv, HEAD_CHANNELS, RELU),
                List.of(new WeightSpec.Biased("conv_head", new long[] {HEAD_CHANNELS, lastConv, 1, 1})),
                net.whole("pooled"), net.tensor("head", HEAD_CHANNELS), null);
        net.stage("head", 0);
        net.layer("classifier", new Op.Linear(HEAD_CHANNELS, config.numClasses(), NONE),
                List.of(new WeightSpec.Biased("classifier", new long[] {config.numClasses(), HEAD_CHANNELS})),
                net.whole("head"), net.tensor("logits", config.numClasses()), null);
        net.stage("logits", 0);
        return net.build("logits");
    }

    /**
     * ghost1 -> [conv_dw] -> [se] -> ghost2, plus the shortcut. An identity shortcut is added in ghost2's
     * cheap op (its half) and by one add over the primary half, after the cheap op has read that half; a conv
     * shortcut's 1x1 accumulates into the block output.
     */
    private static void bottleneck(DescriptionBuilder net, int index, String block, String x, int in, int mid, int out,
                                   Row row, Ghost1Extension ghost1, int featureStride) {
        LayerSpec.Slice expanded = net.tensor(block + ".ghost1", mid);
        ghostModule(net, block + ".ghost1", net.whole(x), expanded, RELU, false, null);
        ghost1.extend(net, index, block + ".ghost1", net.whole(x), expanded);
        if (row.stride() > 1) {
            LayerSpec.Slice strided = net.tensor(block + ".conv_dw", mid);
            net.layer(block + ".conv_dw", new Op.Depthwise(mid, Op.Window.square(row.kernel(), row.stride()), NONE),
                    List.of(convBn(block + ".conv_dw", block + ".bn_dw", mid, 1, row.kernel(), row.kernel(), false)),
                    expanded, strided, null);
            expanded = strided;
        }
        if (row.se() > 0) {
            int reduced = GhostNetConfig.makeDivisible(mid * row.se(), 4);
            String se = block + ".se";
            net.layer(se, new Op.SqueezeExcite(mid, reduced),
                    List.of(new WeightSpec.Biased(se + ".conv_reduce", new long[] {reduced, mid, 1, 1}),
                            new WeightSpec.Biased(se + ".conv_expand", new long[] {mid, reduced, 1, 1})),
                    expanded, expanded, null);
        }
        LayerSpec.Slice output = net.tensor(block, out);
        boolean identity = in == out && row.stride() == 1;
        LayerSpec.Slice cheapResidual = identity ? cheapHalf(net.whole(x)) : null;
        ghostModule(net, block + ".ghost2", expanded, output, NONE, true, cheapResidual);
        if (identity) {
            LayerSpec.Slice primary = primaryHalf(output);
            net.layer(block + ".shortcut", new Op.Add(primary.count()), List.of(), primary, primary,
                    primaryHalf(net.whole(x)));
        } else {
            LayerSpec.Slice dw = net.tensor(block + ".shortcut.dw", in);
            net.layer(block + ".shortcut.dw", new Op.Depthwise(in, Op.Window.square(row.kernel(), row.stride()), NONE),
                    List.of(convBn(block + ".shortcut.0", block + ".shortcut.1", in, 1, row.kernel(), row.kernel(),
                            false)),
                    net.whole(x), dw, null);
            net.layer(block + ".shortcut.pw", new Op.Pointwise(in, out, NONE),
                    List.of(convBn(block + ".shortcut.2", block + ".shortcut.3", out, in, 1, 1, false)), dw, output,
                    output);
        }
        net.stage(block, featureStride);
    }

    /**
     * Primary 1x1 conv to {@code init = ceil(out / 2)} channels, written to {@code out[0, init)}; cheap depthwise
     * 3x3 on the primary's first {@code out - init} channels, written to {@code out[init, out)}: the official
     * {@code concat(primary, cheap)[:out]} without a concat.
     */
    private static void ghostModule(DescriptionBuilder net, String module, LayerSpec.Slice in, LayerSpec.Slice out,
                                    Activation activation, boolean endsResidualBranch, LayerSpec.Slice cheapResidual) {
        LayerSpec.Slice primary = primaryHalf(out);
        LayerSpec.Slice cheap = cheapHalf(out);
        int init = primary.count();
        net.layer(module + ".primary", new Op.Pointwise(in.count(), init, activation),
                List.of(convBn(module + ".primary_conv.0", module + ".primary_conv.1", init, in.count(), 1, 1,
                        endsResidualBranch)),
                in, primary, null);
        net.layer(module + ".cheap", new Op.Depthwise(cheap.count(), Op.Window.square(3, 1), activation),
                List.of(new WeightSpec.ConvBn(module + ".cheap_operation.0", module + ".cheap_operation.1",
                        new long[] {init, 1, 3, 3}, cheap.count(), endsResidualBranch)),
                new LayerSpec.Slice(out.tensor(), out.from(), cheap.count()), cheap, cheapResidual);
    }

    /** True when block {@code blocks.s.b} is the last before the next downsampling (or the last of all). */
    private static boolean lastAtItsStride(int s, int b) {
        if (b + 1 < STAGES.get(s).size()) return STAGES.get(s).get(b + 1).stride() > 1;
        return s + 1 == STAGES.size() || STAGES.get(s + 1).getFirst().stride() > 1;
    }

    /** The primary conv's channels of a ghost module's output {@code [0, ceil(c / 2))}. */
    private static LayerSpec.Slice primaryHalf(LayerSpec.Slice s) {
        return new LayerSpec.Slice(s.tensor(), s.from(), (s.count() + 1) / 2);
    }

    /** The cheap op's channels: the rest, {@code [ceil(c / 2), c)}. */
    private static LayerSpec.Slice cheapHalf(LayerSpec.Slice s) {
        int init = (s.count() + 1) / 2;
        return new LayerSpec.Slice(s.tensor(), s.from() + init, s.count() - init);
    }

    static WeightSpec.ConvBn convBn(String conv, String bn, int out, int inPerGroup, int kh, int kw,
                                            boolean endsResidualBranch) {
        return new WeightSpec.ConvBn(conv, bn, new long[] {out, inPerGroup, kh, kw}, out, endsResidualBranch);
    }
}

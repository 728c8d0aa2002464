package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.Bottleneck;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetWeights;
import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.ConvGeometry;
import dev.ghostnet.kernels.ScalarReference;
import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GhostNet written the naive way for tests: a fresh tensor per layer, explicit concat and shortcut add,
 * every conv through {@link ScalarReference#conv2d}. It shares no planning, buffers or fusion with
 * {@link ExecutionPlan}, so agreement means the plan wires the graph correctly.
 */
final class ReferenceForward {
    private final Arena arena;

    ReferenceForward(Arena arena) {
        this.arena = arena;
    }

    /** Every stage's output by stage name, as {@link InferenceSession#run(StageObserver)} names them. */
    Map<String, float[]> run(GhostNetWeights w, Tensor input) {
        Map<String, float[]> stages = new LinkedHashMap<>();
        GhostNetConfig config = w.config();
        Tensor x = conv(input, w.stem(), 3, config.stemChannels(), 3, 2, 1, Activation.RELU);
        stages.put("stem", x.toArray());
        for (GhostNetWeights.Block block : w.blocks()) {
            x = bottleneck(block, x);
            stages.put(block.shape().prefix(), x.toArray());
        }
        int lastIn = w.blocks().getLast().shape().out();
        Tensor last = conv(x, w.lastConv(), lastIn, config.lastConvChannels(), 1, 1, 1, Activation.RELU);
        stages.put(GhostNetConfig.lastConvStage(), last.toArray());
        Tensor pooled = Tensor.allocate(arena, last.batch(), 1, 1, last.channels());
        ScalarReference.globalAveragePool(last, pooled, 0, last.batch());
        stages.put("pooled", pooled.toArray());
        Tensor head = conv(pooled, w.head(), last.channels(), GhostNetConfig.HEAD_CHANNELS, 1, 1, 1, Activation.RELU);
        stages.put("head", head.toArray());
        Tensor logits = conv(head, w.classifier(), GhostNetConfig.HEAD_CHANNELS, config.numClasses(), 1, 1, 1,
                Activation.NONE);
        stages.put("logits", logits.toArray());
        return stages;
    }

    private Tensor bottleneck(GhostNetWeights.Block block, Tensor x) {
        Bottleneck b = block.shape();
        Tensor y = ghost(block.ghost1(), x, b.mid(), Activation.RELU);
        if (block.strideDepthwise() != null) {
            y = conv(y, block.strideDepthwise(), b.mid(), b.mid(), b.kernelSize(), b.stride(), b.mid(), Activation.NONE);
        }
        if (block.se() != null) {
            ScalarReference.squeezeExcite(y, block.se().reduce().weights(), block.se().reduce().bias(),
                    block.se().expand().weights(), block.se().expand().bias(), b.seReduced(), 0, y.batch());
        }
        Tensor out = ghost(block.ghost2(), y, b.out(), Activation.NONE);
        Tensor shortcut = x;
        if (!b.identityShortcut()) {
            Tensor dw = conv(x, block.shortcutDepthwise(), b.in(), b.in(), b.kernelSize(), b.stride(), b.in(),
                    Activation.NONE);
            shortcut = conv(dw, block.shortcutPointwise(), b.in(), b.out(), 1, 1, 1, Activation.NONE);
        }
        Tensor sum = Tensor.allocate(arena, out.batch(), out.height(), out.width(), out.channels());
        ScalarReference.add(out, shortcut, sum, 0, sum.pixels());
        return sum;
    }

    private Tensor ghost(GhostNetWeights.GhostModule g, Tensor x, int out, Activation act) {
        Tensor primary = conv(x, g.primary(), x.channels(), g.primaryChannels(), 1, 1, 1, act);
        Tensor cheapInput = Tensor.allocate(arena, x.batch(), x.height(), x.width(), g.cheapChannels());
        cheapInput.copyFrom(primary.channelSlice(0, g.cheapChannels()));
        Tensor cheap = conv(cheapInput, g.cheap(), g.cheapChannels(), g.cheapChannels(), 3, 1, g.cheapChannels(), act);
        Tensor concat = Tensor.allocate(arena, x.batch(), x.height(), x.width(), out);
        concat.channelSlice(0, g.primaryChannels()).copyFrom(primary);
        concat.channelSlice(g.primaryChannels(), g.cheapChannels()).copyFrom(cheap);
        return concat;
    }

    private Tensor conv(Tensor in, GhostNetWeights.Conv c, int inChannels, int outChannels, int k, int stride,
                        int groups, Activation act) {
        ConvGeometry g = ConvGeometry.same(inChannels, outChannels, k, stride, groups);
        Tensor out = Tensor.allocate(arena, in.batch(), g.outputSize(in.height()), g.outputSize(in.width()),
                outChannels);
        ScalarReference.conv2d(in, out, c.weights(), c.bias(), g, act, null, 0, out.batch() * out.height());
        return out;
    }
}

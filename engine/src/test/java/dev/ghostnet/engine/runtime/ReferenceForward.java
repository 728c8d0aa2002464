package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.FoldedWeights;
import dev.ghostnet.engine.model.LayerSpec;
import dev.ghostnet.engine.model.ModelDescription;
import dev.ghostnet.engine.model.Op;
import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.ConvGeometry;
import dev.ghostnet.kernels.ScalarReference;
import dev.ghostnet.kernels.Tensor;
import dev.ghostnet.kernels.WindowReference;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model description walked the naive way for tests: a fresh tensor for every tensor the description
 * names, every layer through the reference kernels ({@link ScalarReference}, {@link WindowReference}). It shares no planning, buffer reuse, threading or
 * prepared kernels with {@link ExecutionPlan}, so agreement means the plan binds each layer to the right
 * tensors, sizes and weights. (Whether the description itself is GhostNet is what the parity tests against
 * PyTorch check.)
 */
final class ReferenceForward {
    private final Arena arena;

    ReferenceForward(Arena arena) {
        this.arena = arena;
    }

    /** Every stage's output by stage name, as {@link InferenceSession#run(StageObserver)} names them. */
    Map<String, float[]> run(FoldedWeights weights, Tensor input) {
        ModelDescription d = weights.description();
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put(d.input(), input);
        Map<String, float[]> stages = new LinkedHashMap<>();
        int nextStage = 0;
        List<LayerSpec> layers = d.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            Tensor in = slice(tensors, layer.input());
            Tensor whole = tensors.computeIfAbsent(layer.output().tensor(), name -> Tensor.allocate(arena,
                    in.batch(), layer.op().outputHeight(in.height()), layer.op().outputWidth(in.width()),
                    d.tensors().get(name)));
            Tensor out = whole.channelSlice(layer.output().from(), layer.output().count());
            Tensor residual = layer.residual() == null ? null : slice(tensors, layer.residual());
            run(layer.op(), weights.layers().get(i), in, out, residual);
            while (nextStage < d.stages().size() && d.stages().get(nextStage).endLayer() == i + 1) {
                String name = d.stages().get(nextStage++).tensor();
                stages.put(name, tensors.get(name).toArray());
            }
        }
        return stages;
    }

    private static void run(Op op, List<FoldedWeights.Conv> w, Tensor in, Tensor out, Tensor residual) {
        switch (op) {
            case Op.Conv c -> conv(in, out, w.getFirst(), window(c.window(), c.inChannels(), c.outChannels()),
                    c.activation(), null);
            case Op.Pointwise p -> conv(in, out, w.getFirst(), ConvGeometry.same(p.inChannels(), p.outChannels(), 1, 1, 1),
                    p.activation(), residual);
            case Op.Depthwise dw -> WindowReference.depthwise(in, out, w.getFirst().weights(), w.getFirst().bias(),
                    dw.window().height(), dw.window().width(), dw.window().stride(), dw.window().padHeight(),
                    dw.window().padWidth(), dw.activation(), residual, 0, rows(out));
            case Op.SqueezeExcite se -> ScalarReference.squeezeExcite(out, w.get(0).weights(), w.get(0).bias(),
                    w.get(1).weights(), w.get(1).bias(), se.reducedChannels(), 0, out.batch());
            case Op.GlobalAveragePool _ -> ScalarReference.globalAveragePool(in, out, 0, in.batch());
            case Op.Linear l -> conv(in, out, w.getFirst(), ConvGeometry.same(l.inChannels(), l.outChannels(), 1, 1, 1),
                    l.activation(), null);
            case Op.Add _ -> ScalarReference.add(in, residual, out, 0, out.pixels());
            case Op.AveragePool p -> WindowReference.averagePool(in, out, p.kernel(), p.stride(), 0, rows(out));
            case Op.SigmoidGate _ -> WindowReference.sigmoidGateNearest(in, out, 0, rows(out));
        }
    }

    private static ConvGeometry window(Op.Window w, int in, int out) {
        if (!w.isSquareSame()) {
            throw new UnsupportedOperationException("ConvGeometry takes square windows with padding k/2, not " + w);
        }
        return ConvGeometry.same(in, out, w.height(), w.stride(), 1);
    }

    private static int rows(Tensor t) {
        return t.batch() * t.height();
    }

    private static void conv(Tensor in, Tensor out, FoldedWeights.Conv c, ConvGeometry g, Activation act,
                             Tensor residual) {
        ScalarReference.conv2d(in, out, c.weights(), c.bias(), g, act, residual, 0, rows(out));
    }

    private static Tensor slice(Map<String, Tensor> tensors, LayerSpec.Slice s) {
        return tensors.get(s.tensor()).channelSlice(s.from(), s.count());
    }
}

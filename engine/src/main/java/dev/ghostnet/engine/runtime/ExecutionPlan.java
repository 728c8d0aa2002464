package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.Bottleneck;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.ConvGeometry;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of one inference and the buffers they use, planned once per session for a batch and an input size.
 *
 * <p>Buffers: block outputs ping-pong between two slabs; ghost1's output (mid channels), the stride-2
 * depthwise output and the shortcut's depthwise output each reuse one slab sized for the largest block.
 * A ghost module writes its primary half to channels {@code [0, init)} and its cheap half to
 * {@code [init, out)} of one tensor (channel-slice views, no concat). The outputs that {@link FeatureMap}s
 * expose get buffers of their own so later blocks do not overwrite them.
 *
 * <p>Scratch slabs are reused by layers of different shapes, so two threads may not run different layers of
 * one plan at once on different images: whole-image parallelism uses one {@link #subPlan} per thread.
 */
final class ExecutionPlan {
    /** A named stage: its output and the end (exclusive) of its steps in {@link #steps}. */
    record Stage(String name, Tensor output, int endStep) {}

    private static final int[] FEATURE_STRIDES = {8, 16, 32};

    final Tensor input;
    final Tensor logits;
    final List<Step> steps = new ArrayList<>();
    final List<Stage> stages = new ArrayList<>();
    final List<FeatureMap> features;

    private final GhostNetModel model;
    private final Kernels kernels;
    private final int batch;
    private final float[][] seScratch;

    /** Tensors that outlive a run (input, feature maps, head outputs), by stage name; shared with sub-plans. */
    private final Map<String, Tensor> dedicated = new HashMap<>();
    private final ExecutionPlan parent;
    private final int firstImage;
    private final Arena arena;

    ExecutionPlan(GhostNetModel model, SessionOptions options, Arena arena) {
        this(model, options, arena, null, 0, options.batch());
    }

    /**
     * A plan for images {@code [firstImage, firstImage + count)} of {@code parent}'s batch with scratch
     * buffers of its own, so several sub-plans can run whole networks concurrently, one per thread. Its
     * input, feature maps and outputs are views of the parent's: results land where the parent's callers look.
     */
    ExecutionPlan subPlan(SessionOptions options, int firstImage, int count) {
        return new ExecutionPlan(model, options, arena, this, firstImage, count);
    }

    private ExecutionPlan(GhostNetModel model, SessionOptions options, Arena arena, ExecutionPlan parent,
                          int firstImage, int batch) {
        this.model = model;
        this.kernels = model.kernels();
        this.batch = batch;
        this.arena = arena;
        this.parent = parent;
        this.firstImage = firstImage;
        GhostNetConfig config = model.config();
        List<Bottleneck> blocks = config.bottlenecks();

        // Pass 1: spatial sizes, slab sizes, and which block outputs are feature maps.
        int stemH = model.stem().outputSize(options.height());
        int stemW = model.stem().outputSize(options.width());
        int h = stemH;
        int w = stemW;
        int stride = 2;
        long pingPong = pixels(h, w) * config.stemChannels();
        long mid = 0;
        long strideMid = 0;
        long shortcut = 0;
        int maxSeScratch = 1;
        int[][] outSizes = new int[blocks.size()][];
        int[] outStrides = new int[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            Bottleneck b = blocks.get(i);
            int pad = b.kernelSize() / 2;
            int h2 = b.stride() == 1 ? h : ConvGeometry.outputSize(h, b.kernelSize(), b.stride(), pad);
            int w2 = b.stride() == 1 ? w : ConvGeometry.outputSize(w, b.kernelSize(), b.stride(), pad);
            stride *= b.stride();
            mid = Math.max(mid, pixels(h, w) * b.mid());
            if (b.stride() > 1) strideMid = Math.max(strideMid, pixels(h2, w2) * b.mid());
            if (!b.identityShortcut()) shortcut = Math.max(shortcut, pixels(h2, w2) * b.in());
            pingPong = Math.max(pingPong, pixels(h2, w2) * b.out());
            if (b.hasSqueezeExcite()) maxSeScratch = Math.max(maxSeScratch, 2 * b.mid() + b.seReduced());
            outSizes[i] = new int[] {h2, w2};
            outStrides[i] = stride;
            h = h2;
            w = w2;
        }
        List<FeatureMap> featureMaps = new ArrayList<>();
        boolean[] isFeature = new boolean[blocks.size()];
        for (int featureStride : FEATURE_STRIDES) {
            for (int i = blocks.size() - 1; i >= 0; i--) {
                if (outStrides[i] == featureStride) {
                    isFeature[i] = true;
                    break;
                }
            }
        }

        // Pass 2: allocate, then bind every step to views of the slabs.
        MemorySegment[] pingPongSlabs = {slab(arena, pingPong), slab(arena, pingPong)};
        MemorySegment midSlab = slab(arena, mid);
        MemorySegment strideMidSlab = strideMid > 0 ? slab(arena, strideMid) : null;
        MemorySegment shortcutSlab = shortcut > 0 ? slab(arena, shortcut) : null;
        this.seScratch = new float[batch][maxSeScratch];

        input = dedicated("input", options.height(), options.width(), 3);
        Tensor x = view(pingPongSlabs[0], stemH, stemW, config.stemChannels());
        steps.add(new Steps.Dense("stem", model.stem(), input, x));
        stages.add(new Stage("stem", x, steps.size()));
        for (int i = 0; i < blocks.size(); i++) {
            Bottleneck b = blocks.get(i);
            GhostNetModel.PreparedBlock prepared = model.blocks().get(i);
            int h2 = outSizes[i][0];
            int w2 = outSizes[i][1];
            Tensor out;
            if (isFeature[i]) {
                out = dedicated(b.prefix(), h2, w2, b.out());
                featureMaps.add(new FeatureMap(outStrides[i], b.prefix(), out));
            } else {
                int free = x.segment().address() == pingPongSlabs[0].address() ? 1 : 0;
                out = view(pingPongSlabs[free], h2, w2, b.out());
            }
            Tensor m = view(midSlab, x.height(), x.width(), b.mid());
            Tensor d = b.stride() > 1 ? view(strideMidSlab, h2, w2, b.mid()) : null;
            Tensor t = b.identityShortcut() ? null : view(shortcutSlab, h2, w2, b.in());
            addBottleneck(b, prepared, x, m, d, t, out);
            stages.add(new Stage(b.prefix(), out, steps.size()));
            x = out;
        }
        features = List.copyOf(featureMaps);
        String lastName = GhostNetConfig.lastConvPrefix();
        Tensor last = dedicated(lastName, x.height(), x.width(), config.lastConvChannels());
        steps.add(new Steps.Pointwise(lastName, model.lastConv(), x, last, null));
        stages.add(new Stage(GhostNetConfig.lastConvStage(), last, steps.size()));
        Tensor pooled = dedicated("pooled", 1, 1, config.lastConvChannels());
        steps.add(new Steps.GlobalPool("pooled", kernels, last, pooled));
        stages.add(new Stage("pooled", pooled, steps.size()));
        Tensor head = dedicated("head", 1, 1, GhostNetConfig.HEAD_CHANNELS);
        steps.add(new Steps.FullyConnected("conv_head", model.head(), pooled, head));
        stages.add(new Stage("head", head, steps.size()));
        logits = dedicated("logits", 1, 1, config.numClasses());
        steps.add(new Steps.FullyConnected("classifier", model.classifier(), head, logits));
        stages.add(new Stage("logits", logits, steps.size()));
    }

    /**
     * ghost1 -> [stride-2 depthwise] -> [squeeze-excite] -> ghost2, plus the shortcut:
     * identity shortcuts are added in the cheap op's epilogue and by one add over the primary half
     * (the cheap op must read the primary half before the residual lands in it); conv shortcuts
     * accumulate their pointwise output into {@code out} in the epilogue.
     */
    private void addBottleneck(Bottleneck b, GhostNetModel.PreparedBlock p, Tensor x, Tensor m, Tensor d, Tensor t,
                               Tensor out) {
        String name = b.prefix();
        int init1 = p.ghost1().primary().outChannels();
        int cheap1 = p.ghost1().cheap().channels();
        steps.add(new Steps.Pointwise(name + ".ghost1.primary", p.ghost1().primary(), x, m.channelSlice(0, init1), null));
        steps.add(new Steps.Depthwise(name + ".ghost1.cheap", p.ghost1().cheap(), m.channelSlice(0, cheap1),
                m.channelSlice(init1, cheap1), null));
        Tensor expanded = m;
        if (p.strideDepthwise() != null) {
            steps.add(new Steps.Depthwise(name + ".conv_dw", p.strideDepthwise(), m, d, null));
            expanded = d;
        }
        if (p.se() != null) {
            steps.add(new Steps.SqueezeExciteStep(name + ".se", p.se(), expanded, seScratch));
        }
        int init2 = p.ghost2().primary().outChannels();
        int cheap2 = p.ghost2().cheap().channels();
        Tensor primaryHalf = out.channelSlice(0, init2);
        Tensor cheapHalf = out.channelSlice(init2, cheap2);
        steps.add(new Steps.Pointwise(name + ".ghost2.primary", p.ghost2().primary(), expanded, primaryHalf, null));
        if (b.identityShortcut()) {
            steps.add(new Steps.Depthwise(name + ".ghost2.cheap", p.ghost2().cheap(), out.channelSlice(0, cheap2),
                    cheapHalf, x.channelSlice(init2, cheap2)));
            steps.add(new Steps.Add(name + ".shortcut", kernels, primaryHalf, x.channelSlice(0, init2), primaryHalf));
        } else {
            steps.add(new Steps.Depthwise(name + ".ghost2.cheap", p.ghost2().cheap(), out.channelSlice(0, cheap2),
                    cheapHalf, null));
            steps.add(new Steps.Depthwise(name + ".shortcut.dw", p.shortcutDepthwise(), x, t, null));
            steps.add(new Steps.Pointwise(name + ".shortcut.pw", p.shortcutPointwise(), t, out, out));
        }
    }

    /** This plan's own tensor for {@code name}, or its slice of the parent plan's. */
    private Tensor dedicated(String name, int h, int w, int channels) {
        Tensor t = parent == null
                ? Tensor.allocate(arena, batch, h, w, channels)
                : parent.dedicated.get(name).images(firstImage, batch);
        dedicated.put(name, t);
        return t;
    }

    private long pixels(int h, int w) {
        return (long) batch * h * w;
    }

    private static MemorySegment slab(Arena arena, long floats) {
        return arena.allocate(floats * Float.BYTES, Tensor.ALIGNMENT);
    }

    private Tensor view(MemorySegment slab, int h, int w, int channels) {
        return Tensor.wrap(slab, batch, h, w, channels, channels);
    }
}

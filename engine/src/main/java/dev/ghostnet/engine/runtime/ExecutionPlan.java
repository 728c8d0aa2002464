package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.model.LayerSpec;
import dev.ghostnet.engine.model.ModelDescription;
import dev.ghostnet.engine.model.Op;
import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Linear;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.SqueezeExcite;
import dev.ghostnet.kernels.Tensor;
import dev.ghostnet.kernels.WindowDepthwiseConv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The steps of one inference and the buffers they use, planned once per session for a batch and an input
 * size: one step per layer of the model's {@link ModelDescription} (two for a squeeze-excite split over
 * threads, none for an identity shortcut's add that {@link ShortcutFolding} moves into the conv before it), bound
 * to views of the session's memory. Consecutive convs that can run band by band of rows form
 * {@link FusedGroup}s where one thread runs whole images.
 *
 * <p>Buffers: the input, the logits and the feature maps have tensors of their own (callers read them after a
 * run); every other tensor lives in a slab shared with tensors whose lifetimes do not overlap
 * ({@link SlabPlanner}). A layer that writes a channel slice writes into its tensor directly (a ghost module's
 * halves need no concat).
 *
 * <p>Scratch slabs are reused by layers of different shapes, so two threads may not run different layers of
 * one plan at once on different images: whole-image parallelism uses one {@link #subPlan} per thread.
 */
final class ExecutionPlan {
    /** A named stage: its output and the end (exclusive) of its steps in {@link #steps}. */
    record Stage(String name, Tensor output, int endStep) {}

    final Tensor input;
    final Tensor logits;
    final List<Step> steps = new ArrayList<>();
    final List<Stage> stages = new ArrayList<>();
    final List<FeatureMap> features;
    /** The fused groups, in order ({@link Fusion}); empty where the plan's steps run split over threads. */
    final List<FusedGroup> fusedGroups;
    /** Per step, the index of the fused group it belongs to, or -1. */
    final int[] fusedGroupOf;
    /** Folded shortcuts by the index of each of their three layers. */
    private final Map<Integer, ShortcutFolding.Folded> folded;

    private final GhostNetModel model;
    private final Kernels kernels;
    private final int batch;
    /** Whether a batch is smaller than the thread count, so that steps split single images over threads. */
    private final boolean splitImages;
    /** Squeeze-excite scratch: per image, or per piece when images are split. */
    private final float[][] seScratch;
    /** Per image, the hidden units of a squeeze-excite split over threads (null when images are not split). */
    private final float[][] seHidden;

    /** Tensors that outlive a run (input, feature maps, logits), by name; shared with sub-plans. */
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
        ModelDescription d = model.description();
        List<LayerSpec> layers = d.layers();

        Map<String, int[]> sizes = spatialSizes(d, options.height(), options.width());
        Set<String> outliving = new HashSet<>(Set.of(d.input(), d.output()));
        for (ModelDescription.Stage stage : d.stages()) {
            if (stage.featureStride() > 0) outliving.add(stage.tensor());
        }
        // Groups run on one thread only: by a 1-thread session, or by a sub-plan running whole images per thread.
        List<int[]> layerGroups = options.fusion() && (options.threads() == 1 || parent != null)
                ? Fusion.groups(layers, i -> Fusion.rowwise(layers.get(i).op(), windowKernel(i)),
                        layers.stream().mapToInt(l -> sizes.get(l.output().tensor())[1]).toArray())
                : List.of();
        this.folded = new HashMap<>();
        if (options.fusion()) {
            for (ShortcutFolding.Folded f : ShortcutFolding.find(layers, i -> !windowKernel(i), i -> pairsHalves(d, i))) {
                folded.put(f.pointwise(), f);
                folded.put(f.depthwise(), f);
                if (!f.copy()) {
                    folded.put(f.add(), f);
                }
                sizes.put(f.scratch(), sizes.get(layers.get(f.pointwise()).output().tensor()));
            }
        }
        Map<String, Tensor> tensors = tensors(d, sizes, outliving, layerGroups);

        int maxSeScratch = 1;
        int maxSeHidden = 1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).op() instanceof Op.SqueezeExcite) {
                SqueezeExcite se = model.kernel(i, SqueezeExcite.class);
                maxSeScratch = Math.max(maxSeScratch, se.scratchFloats());
                maxSeHidden = Math.max(maxSeHidden, se.reducedChannels());
            }
        }
        this.splitImages = parent == null && batch < options.threads();
        this.seScratch = new float[Math.max(batch, options.threads())][maxSeScratch];
        this.seHidden = splitImages ? new float[batch][maxSeHidden] : null;
        // Where each layer's steps end: a split squeeze-excite is two steps, and stages end at layers.
        int[] stepsBefore = new int[layers.size() + 1];
        for (int i = 0; i < layers.size(); i++) {
            addSteps(i, layers.get(i), tensors);
            stepsBefore[i + 1] = steps.size();
        }

        List<FeatureMap> featureMaps = new ArrayList<>();
        for (ModelDescription.Stage stage : d.stages()) {
            Tensor output = tensors.get(stage.tensor());
            stages.add(new Stage(stage.tensor(), output, stepsBefore[stage.endLayer()]));
            if (stage.featureStride() > 0) {
                featureMaps.add(new FeatureMap(stage.featureStride(), stage.tensor(), output));
            }
        }
        this.features = List.copyOf(featureMaps);
        this.fusedGroupOf = new int[steps.size()];
        Arrays.fill(fusedGroupOf, -1);
        List<FusedGroup> groups = new ArrayList<>();
        for (int[] g : layerGroups) {
            groups.add(fusedGroup(layers, g[0], g[1], stepsBefore[g[0]], stepsBefore[g[1]]));
            Arrays.fill(fusedGroupOf, stepsBefore[g[0]], stepsBefore[g[1]], groups.size() - 1);
        }
        this.fusedGroups = List.copyOf(groups);
        this.input = tensors.get(d.input());
        this.logits = tensors.get(d.output());
    }

    /**
     * Height and width of every tensor for this input size, from the layer that writes it first; a later
     * writer, and every residual, must agree. A layer that scales an existing output leaves its size alone.
     */
    private static Map<String, int[]> spatialSizes(ModelDescription d, int height, int width) {
        Map<String, int[]> sizes = new HashMap<>();
        sizes.put(d.input(), new int[] {height, width});
        for (LayerSpec layer : d.layers()) {
            if (layer.op().updatesOutput()) {
                continue;
            }
            int[] in = sizes.get(layer.input().tensor());
            int[] out = {layer.op().outputHeight(in[0]), layer.op().outputWidth(in[1])};
            int[] known = sizes.putIfAbsent(layer.output().tensor(), out);
            for (int[] other : new int[][] {known, layer.residual() == null ? null : sizes.get(layer.residual().tensor())}) {
                if (other != null && (other[0] != out[0] || other[1] != out[1])) {
                    throw new IllegalStateException(layer.name() + " writes " + out[0] + "x" + out[1] + " into "
                            + layer.output() + ", which other layers make " + other[0] + "x" + other[1]);
                }
            }
        }
        return sizes;
    }

    /**
     * Every tensor of the description: dedicated for those that outlive a run, else a view of a shared slab. A
     * tensor used by a layer of a fused group lives from the group's first layer to its last.
     */
    private Map<String, Tensor> tensors(ModelDescription d, Map<String, int[]> sizes, Set<String> outliving,
                                        List<int[]> layerGroups) {
        Map<String, Integer> firstUse = new LinkedHashMap<>();
        Map<String, Integer> lastUse = new HashMap<>();
        List<LayerSpec> layers = d.layers();
        int[] useFrom = new int[layers.size()];
        int[] useTo = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            useFrom[i] = i;
            useTo[i] = i;
        }
        for (int[] g : layerGroups) {
            Arrays.fill(useFrom, g[0], g[1], g[0]);
            Arrays.fill(useTo, g[0], g[1], g[1] - 1);
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            for (LayerSpec.Slice s : l.residual() == null ? List.of(l.input(), l.output())
                    : List.of(l.input(), l.output(), l.residual())) {
                firstUse.putIfAbsent(s.tensor(), useFrom[i]);
                lastUse.merge(s.tensor(), useTo[i], Math::max);
            }
        }
        Map<String, Integer> channelsOf = new HashMap<>(d.tensors());
        for (ShortcutFolding.Folded f : new HashSet<>(folded.values())) {
            firstUse.putIfAbsent(f.scratch(), useFrom[f.pointwise()]);
            lastUse.put(f.scratch(), useTo[f.depthwise()]);
            channelsOf.put(f.scratch(), f.channels());
        }
        SlabPlanner planner = new SlabPlanner();
        Map<String, Integer> slabOf = new HashMap<>();
        Map<String, Tensor> tensors = new HashMap<>();
        for (String name : firstUse.keySet()) {
            int[] hw = sizes.get(name);
            int channels = channelsOf.get(name);
            if (outliving.contains(name)) {
                tensors.put(name, dedicated(name, hw[0], hw[1], channels));
            } else {
                slabOf.put(name, planner.place((long) batch * hw[0] * hw[1] * channels, firstUse.get(name),
                        lastUse.get(name)));
            }
        }
        List<MemorySegment> slabs = planner.sizes().stream()
                .map(floats -> arena.allocate(floats * Float.BYTES + Tensor.SLACK, Tensor.ALIGNMENT)).toList();
        slabOf.forEach((name, slab) -> {
            int[] hw = sizes.get(name);
            int channels = channelsOf.get(name);
            tensors.put(name, Tensor.wrap(slabs.get(slab), batch, hw[0], hw[1], channels, channels));
        });
        return tensors;
    }

    /**
     * Below this many weights per FC a squeeze-excite stays one step when images are split: its two halves
     * would each cost a hand-off for little weight traffic (GhostNet's largest, 960->240, has 230,400).
     */
    static final int SPLIT_SQUEEZE_EXCITE_MIN_WEIGHTS = 32_768;

    /** The steps that run layer {@code i}: one, but two for a squeeze-excite split over threads. */
    private void addSteps(int i, LayerSpec layer, Map<String, Tensor> tensors) {
        if (folded.containsKey(i) && folded.get(i).add() == i) {
            return; // the depthwise conv before it adds this shortcut
        }
        if (splitImages && layer.op() instanceof Op.SqueezeExcite) {
            SqueezeExcite se = model.kernel(i, SqueezeExcite.class);
            if ((long) se.channels() * se.reducedChannels() >= SPLIT_SQUEEZE_EXCITE_MIN_WEIGHTS) {
                Tensor x = slice(tensors, layer.output());
                steps.add(new Steps.SplitSqueezeExcite(layer.name(), se, x, true, seScratch, seHidden,
                        layer.parameters()));
                steps.add(new Steps.SplitSqueezeExcite(layer.name(), se, x, false, seScratch, seHidden, 0));
                return;
            }
        }
        steps.add(step(i, layer, tensors));
    }

    /** The step that runs layer {@code i} with the model's prepared kernel for it. */
    private Step step(int i, LayerSpec layer, Map<String, Tensor> tensors) {
        String name = layer.name();
        ShortcutFolding.Folded fold = folded.get(i);
        Tensor in = fold != null && fold.depthwise() == i ? tensors.get(fold.scratch()) : slice(tensors, layer.input());
        Tensor out = fold != null && fold.pointwise() == i ? tensors.get(fold.scratch()) : slice(tensors, layer.output());
        Tensor residual = layer.residual() == null ? null : slice(tensors, layer.residual());
        long parameters = layer.parameters();
        return switch (layer.op()) {
            case Op.Conv _ -> new Steps.Dense(name, model.kernel(i, DenseConv.class), in, out, parameters);
            case Op.Pointwise _ -> new Steps.Pointwise(name, model.kernel(i, PointwiseConv.class), in, out,
                    fold == null ? widened(i, tensors) : out, residual, parameters);
            case Op.Depthwise _ -> windowKernel(i)
                    ? new Steps.WindowDepthwise(name, model.kernel(i, WindowDepthwiseConv.class), in, out, residual,
                            parameters)
                    : new Steps.Depthwise(name, model.kernel(i, DepthwiseConv.class), in, out, residual,
                            fold == null ? null : slice(tensors, layer.input()),
                            fold == null || fold.copy() ? null
                                    : slice(tensors, model.description().layers().get(fold.add()).residual()),
                            parameters);
            case Op.SqueezeExcite _ ->
                    new Steps.SqueezeExciteStep(name, model.kernel(i, SqueezeExcite.class), out, seScratch, parameters);
            case Op.GlobalAveragePool _ -> new Steps.GlobalPool(name, kernels, in, out);
            case Op.Linear _ -> new Steps.FullyConnected(name, model.kernel(i, Linear.class), in, out, parameters);
            case Op.Add _ -> new Steps.Add(name, kernels, in, residual, out);
            case Op.AveragePool p -> new Steps.AveragePool(name, kernels, p.kernel(), p.stride(), in, out);
            case Op.SigmoidGate _ -> new Steps.SigmoidGate(name, kernels, in, out);
        };
    }

    /**
     * Layer {@code i}'s 1x1 conv output, widened to its kernel's {@link PointwiseConv#paddedOutChannels} where the
     * next layer is a depthwise conv that reads exactly this output and writes the channels after it, padding
     * included (a ghost module's cheap half): nothing reads the padding before that conv overwrites it, since each
     * of its rows runs after the 1x1 conv wrote the rows it reads (in fused bands and between steps alike).
     */
    private Tensor widened(int i, Map<String, Tensor> tensors) {
        List<LayerSpec> layers = model.description().layers();
        LayerSpec layer = layers.get(i);
        LayerSpec.Slice out = layer.output();
        int padded = model.kernel(i, PointwiseConv.class).paddedOutChannels();
        LayerSpec next = i + 1 < layers.size() ? layers.get(i + 1) : null;
        boolean cheapHalfAfter = padded > out.count() && layer.residual() == null && next != null
                && ShortcutFolding.ghostHalves(layer, next) && next.output().count() >= padded - out.count();
        return slice(tensors, cheapHalfAfter ? new LayerSpec.Slice(out.tensor(), out.from(), padded) : out);
    }

    /**
     * Whether layer {@code i}'s depthwise kernel pairs half vectors ({@link DepthwiseConv#pairsHalfVectors}) on its
     * tensors as they are: its input the low half of a tensor of twice its channels, its output the high half.
     */
    private boolean pairsHalves(ModelDescription d, int i) {
        LayerSpec layer = d.layers().get(i);
        return model.kernel(i, Object.class) instanceof DepthwiseConv conv && conv.pairsHalfVectors()
                && layer.input().from() == 0 && layer.input().tensor().equals(layer.output().tensor())
                && d.tensors().get(layer.input().tensor()) == 2 * layer.input().count();
    }

    /** Whether the model prepared layer {@code i}'s depthwise conv as a window kernel (not a square "same" window). */
    private boolean windowKernel(int i) {
        return model.kernel(i, Object.class) instanceof WindowDepthwiseConv;
    }

    /** The group of layers {@code [from, to)}, which run one step each: steps {@code [fromStep, toStep)}. */
    private FusedGroup fusedGroup(List<LayerSpec> all, int from, int to, int fromStep, int toStep) {
        List<LayerSpec> layers = all.subList(from, to);
        if (toStep - fromStep != layers.size()) {
            throw new IllegalStateException("fused layers " + layers.getFirst().name() + ".." + layers.getLast().name()
                    + " do not run one step each");
        }
        List<RowStep> members = new ArrayList<>();
        int[][] inputProducers = new int[layers.size()][];
        int[][] residualProducers = new int[layers.size()][];
        for (int m = 0; m < layers.size(); m++) {
            members.add((RowStep) steps.get(fromStep + m));
            inputProducers[m] = Fusion.producers(layers, m, layers.get(m).input());
            // Rows of a residual, or of a folded shortcut's residual, are read where they are written.
            ShortcutFolding.Folded fold = folded.get(from + m);
            LayerSpec.Slice shortcut = fold != null && !fold.copy() && fold.depthwise() == from + m
                    ? all.get(fold.add()).residual() : null;
            residualProducers[m] = IntStream.concat(
                    Arrays.stream(Fusion.producers(layers, m, layers.get(m).residual())),
                    Arrays.stream(Fusion.producers(layers, m, shortcut))).distinct().toArray();
        }
        return new FusedGroup(fromStep, members, inputProducers, residualProducers);
    }

    /** Runs steps {@code [fromStep, toStep)} on images {@code [0, images)} on the calling thread, fused groups whole. */
    void runAlone(int fromStep, int toStep, int images) {
        int i = fromStep;
        while (i < toStep) {
            int g = fusedGroupOf[i];
            if (g >= 0 && fusedGroups.get(g).from == i && fusedGroups.get(g).to <= toStep) {
                fusedGroups.get(g).run(0, images);
                i = fusedGroups.get(g).to;
            } else {
                steps.get(i).run(0, images, 0, 1);
                i++;
            }
        }
    }

    private static Tensor slice(Map<String, Tensor> tensors, LayerSpec.Slice s) {
        Tensor t = tensors.get(s.tensor());
        return s.from() == 0 && s.count() == t.channels() ? t : t.channelSlice(s.from(), s.count());
    }

    /** This plan's own tensor for {@code name}, or its slice of the parent plan's. */
    private Tensor dedicated(String name, int h, int w, int channels) {
        Tensor t = parent == null
                ? Tensor.allocate(arena, batch, h, w, channels)
                : parent.dedicated.get(name).images(firstImage, batch);
        dedicated.put(name, t);
        return t;
    }
}

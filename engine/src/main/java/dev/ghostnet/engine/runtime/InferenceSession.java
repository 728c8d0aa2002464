package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.CountingArena;
import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * One caller's way to run a {@link GhostNetModel}: it owns the activation buffers (planned once for its
 * batch and input size, off-heap) and its worker threads. Fill {@link #input()}, call {@link #run()}, read
 * {@link #logits()} or {@link #features()}. Steady-state runs allocate nothing on the Java heap.
 *
 * <p>Not thread-safe: use one session per thread; many sessions may share one model. A run called while
 * another thread's run is in progress throws {@link IllegalStateException} (see {@link SingleCaller}).
 * Close it to free its buffers and stop its threads; any use after close throws
 * {@link IllegalStateException}.
 */
public final class InferenceSession implements AutoCloseable {
    private final GhostNetModel model;
    private final SessionOptions options;
    private final CountingArena arena;
    private final WorkerPool pool;
    private final ExecutionPlan plan;
    /** One plan per thread over its share of the images, when the batch splits evenly; else empty. */
    private final List<ExecutionPlan> imageGroups;
    private final LayerTask layerTask = new LayerTask();
    private final ImageGroupTask imageGroupTask = new ImageGroupTask();
    private final SingleCaller caller = new SingleCaller("InferenceSession",
            "Use one session per thread (sessions may share one model).");
    private boolean closed;

    public InferenceSession(GhostNetModel model, SessionOptions options) {
        model.checkOpen();
        this.model = model;
        this.options = options;
        this.arena = new CountingArena(Arena.ofShared());
        try {
            this.plan = new ExecutionPlan(model, options, arena);
            this.imageGroups = imageGroups(plan, options);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        this.pool = new WorkerPool(options.threads(), "ghostnet-worker");
    }

    private static List<ExecutionPlan> imageGroups(ExecutionPlan plan, SessionOptions options) {
        int parts = options.threads();
        if (parts == 1 || options.batch() % parts != 0) {
            return List.of();
        }
        int perGroup = options.batch() / parts;
        List<ExecutionPlan> groups = new ArrayList<>();
        for (int g = 0; g < parts; g++) {
            groups.add(plan.subPlan(options, g * perGroup, perGroup));
        }
        return List.copyOf(groups);
    }

    public SessionOptions options() {
        return options;
    }

    public GhostNetModel model() {
        return model;
    }

    /** The input batch, NHWC (N, H, W, 3), RGB, already normalised; fill it before {@link #run()}. */
    public Tensor input() {
        checkOpen();
        return plan.input;
    }

    /** Copies a batch laid out NCHW (as PyTorch holds images) into {@link #input()}. */
    public void setInputNchw(float[] nchw) {
        Layouts.copyFromNchw(nchw, input());
    }

    /** Runs the network on {@link #input()}; returns {@link #logits()}. */
    public Tensor run() {
        return run(options.batch());
    }

    /**
     * Runs the network on the first {@code images} images of {@link #input()} only, for a batch that is not
     * full: the other images' logits and features are left as they were. Returns {@link #logits()}.
     */
    public Tensor run(int images) {
        checkOpen();
        model.checkOpen();
        if (images < 1 || images > options.batch()) {
            throw new IllegalArgumentException("images to run must be in 1.." + options.batch() + ", got " + images);
        }
        caller.enter();
        try {
            runImages(images);
        } finally {
            caller.exit();
        }
        return plan.logits;
    }

    private void runImages(int images) {
        if (pool.parts() == 1) {
            plan.runAlone(0, plan.steps.size(), images);
        } else if (!imageGroups.isEmpty() && images == options.batch()) {
            // Whole images per thread: no hand-off between layers at all.
            pool.run(imageGroupTask);
        } else {
            runLayerByLayer(0, plan.steps.size(), images);
        }
    }

    /** Runs the network stage by stage, showing each stage's output to {@code observer}. */
    public Tensor run(StageObserver observer) {
        checkOpen();
        model.checkOpen();
        caller.enter();
        try {
            int from = 0;
            for (ExecutionPlan.Stage stage : plan.stages) {
                runLayerByLayer(from, stage.endStep(), options.batch());
                observer.stageDone(stage.name(), stage.output());
                from = stage.endStep();
            }
        } finally {
            caller.exit();
        }
        return plan.logits;
    }

    private void runLayerByLayer(int fromStep, int toStep, int images) {
        for (int i = fromStep; i < toStep; i++) {
            Step step = plan.steps.get(i);
            if (pool.parts() > 1 && step.worthSplitting(images)) {
                layerTask.step = step;
                layerTask.images = images;
                pool.run(layerTask);
            } else {
                step.run(0, images, 0, 1);
            }
        }
    }

    /** The logits (N, 1, 1, classes) of the last run; overwritten by the next. */
    public Tensor logits() {
        checkOpen();
        return plan.logits;
    }

    /** The stride-8, -16 and -32 backbone outputs of the last run; overwritten by the next. */
    public List<FeatureMap> features() {
        checkOpen();
        return plan.features;
    }

    /** Every step of the plan, in execution order, for layer tables and profiles. */
    public List<StepInfo> steps() {
        List<StepInfo> infos = new ArrayList<>();
        for (int i = 0; i < plan.steps.size(); i++) {
            Step s = plan.steps.get(i);
            Tensor out = s.output();
            infos.add(new StepInfo(s.name(), s.description(), s.macsPerImage(), s.weightMacsPerImage(), s.parameters(),
                    out.height(), out.width(), out.channels(), fusedGroupOf(i)));
        }
        return List.copyOf(infos);
    }

    /** The fused group step {@code i} runs in when the session runs on one thread, or -1. */
    private int fusedGroupOf(int i) {
        return fusingPlan().fusedGroupOf[i];
    }

    /** The plan whose fused groups a run executes: a whole-image sub-plan's where there are some (all alike). */
    private ExecutionPlan fusingPlan() {
        return imageGroups.isEmpty() ? plan : imageGroups.getFirst();
    }

    /**
     * The steps that run fused, band by band of rows, as {@code [fromStep, toStep)} ranges of {@link #steps}: in a
     * 1-thread session, or per thread where each thread runs whole images (a batch that splits evenly).
     */
    public List<FusedGroupInfo> fusedGroups() {
        checkOpen();
        return fusingPlan().fusedGroups.stream().map(g -> new FusedGroupInfo(g.from, g.to, g.bandRows())).toList();
    }

    /**
     * A fused group.
     *
     * @param fromStep first step
     * @param toStep   end (exclusive)
     * @param bandRows output rows of the last step per band
     */
    public record FusedGroupInfo(int fromStep, int toStep, int bandRows) {}

    /** Runs fused group {@code g} alone over the whole batch, as a run does (for profiling). */
    public void runFusedGroup(int g) {
        checkOpen();
        model.checkOpen();
        caller.enter();
        try {
            if (imageGroups.isEmpty()) {
                FusedGroup group = plan.fusedGroups.get(g);
                plan.runAlone(group.from, group.to, options.batch());
            } else {
                pool.run((part, parts) -> {
                    ExecutionPlan p = imageGroups.get(part);
                    FusedGroup group = p.fusedGroups.get(g);
                    p.runAlone(group.from, group.to, p.input.batch());
                });
            }
        } finally {
            caller.exit();
        }
    }

    /**
     * One step of the plan.
     *
     * @param name               the layer, e.g. {@code blocks.3.0.ghost1.primary}
     * @param description        the op and its shape, e.g. {@code pointwise 40->60 @28x28}
     * @param macsPerImage       the step's work estimate, including pooling and squeeze-excite scaling
     * @param weightMacsPerImage multiply-adds against weights, as papers count them (141.15 M in all at width 1.0, 224)
     * @param parameters         the layer's trainable parameters as PyTorch counts them (BatchNorm scale and shift)
     * @param outputHeight       height of the tensor the step writes, per image
     * @param outputWidth        its width
     * @param outputChannels     its channels (a ghost half writes a slice of the module's output)
     * @param fusedGroup         the index in {@link #fusedGroups} of the group the step runs in, or -1
     */
    public record StepInfo(String name, String description, long macsPerImage, long weightMacsPerImage,
                           long parameters, int outputHeight, int outputWidth, int outputChannels, int fusedGroup) {
        /** {@code HxWxC}, e.g. {@code 112x112x16}. */
        public String outputShape() {
            return outputHeight + "x" + outputWidth + "x" + outputChannels;
        }
    }

    /** Runs step {@code index} alone over the whole batch with this session's threads (for profiling). */
    public void runStep(int index) {
        checkOpen();
        model.checkOpen();
        caller.enter();
        try {
            runLayerByLayer(index, index + 1, options.batch());
        } finally {
            caller.exit();
        }
    }

    /** Off-heap bytes of this session's activation buffers. */
    public long activationBytes() {
        return arena.allocatedBytes();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("inference session is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
            arena.close();
        }
    }

    /** Runs one step over the first {@code images} images, split into the pool's parts. Reused: no allocation per layer. */
    private final class LayerTask implements WorkerPool.Task {
        Step step;
        int images;

        @Override
        public void run(int part, int parts) {
            step.run(0, images, part, parts);
        }
    }

    /** Runs the whole network of image group {@code part} on one thread. */
    private final class ImageGroupTask implements WorkerPool.Task {
        @Override
        public void run(int part, int parts) {
            ExecutionPlan group = imageGroups.get(part);
            group.runAlone(0, group.steps.size(), group.input.batch());
        }
    }
}

package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointReader;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.CountingArena;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * A GhostNet compiled for one kernel family: BatchNorm folded, weights packed off-heap in the model's
 * own arena. Immutable and safe to share between threads; each caller runs it through its own
 * {@link dev.ghostnet.engine.runtime.InferenceSession}. Closing the model frees the weights: sessions
 * that still use it then fail with {@link IllegalStateException}.
 */
public final class GhostNetModel implements AutoCloseable {
    private final ModelDescription description;
    private final Kernels kernels;
    private final CountingArena arena;
    /** Layer i's prepared kernel op, of the interface its {@link Op} kind takes; null for pools, adds and gates. */
    private final Object[] layerKernels;
    private volatile boolean closed;

    /** Where the constructor takes each layer's folded weights from, one layer at a time. */
    private interface LayerWeights {
        List<FoldedWeights.Conv> layer(int i) throws CheckpointException;
    }

    /** Packs layer after layer, so only one layer's heap arrays need be alive; a failure frees what was packed. */
    private GhostNetModel(ModelDescription description, LayerWeights w, Kernels kernels) throws CheckpointException {
        this.description = description;
        this.kernels = kernels;
        this.arena = new CountingArena(Arena.ofShared());
        try {
            List<LayerSpec> layers = description.layers();
            this.layerKernels = new Object[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                layerKernels[i] = prepare(layers.get(i), w.layer(i));
            }
        } catch (RuntimeException | CheckpointException e) {
            arena.close();
            throw e;
        }
    }

    private Object prepare(LayerSpec layer, List<FoldedWeights.Conv> w) {
        return switch (layer.op()) {
            case Op.Conv c -> kernels.dense(arena, w.getFirst().weights(), w.getFirst().bias(), c.inChannels(),
                    c.outChannels(), squareKernel(layer, c.window()), c.window().stride(), c.activation());
            case Op.Pointwise p -> kernels.pointwise(arena, w.getFirst().weights(), w.getFirst().bias(), p.inChannels(),
                    p.outChannels(), p.activation());
            case Op.Depthwise d -> depthwise(d, w.getFirst());
            case Op.SqueezeExcite se -> kernels.squeezeExcite(arena, w.get(0).weights(), w.get(0).bias(),
                    w.get(1).weights(), w.get(1).bias(), se.channels(), se.reducedChannels());
            case Op.Linear l -> kernels.linear(arena, w.getFirst().weights(), w.getFirst().bias(), l.inChannels(),
                    l.outChannels(), l.activation());
            case Op.GlobalAveragePool _, Op.Add _, Op.AveragePool _, Op.SigmoidGate _ -> null;
        };
    }

    /**
     * A square "same" window (every depthwise conv of v1, the cheap ops of v2) takes the tiled {@code DepthwiseConv};
     * any other window (v2's 1x5 and 5x1 DFC convs) a {@code WindowDepthwiseConv}.
     */
    private Object depthwise(Op.Depthwise d, FoldedWeights.Conv w) {
        Op.Window window = d.window();
        if (window.isSquareSame()) {
            return kernels.depthwise(arena, w.weights(), w.bias(), d.channels(), window.height(), window.stride(),
                    d.activation());
        }
        return kernels.windowDepthwise(arena, w.weights(), w.bias(), d.channels(), window.height(), window.width(),
                window.stride(), window.padHeight(), window.padWidth(), d.activation());
    }

    /** The stem's dense kernel takes square windows with "same" padding only (all GhostNet has). */
    private static int squareKernel(LayerSpec layer, Op.Window window) {
        if (!window.isSquareSame()) {
            throw new IllegalArgumentException(layer.name() + ": no dense kernel for window " + window
                    + " with padding (" + window.padHeight() + ", " + window.padWidth() + "): it takes only square "
                    + "windows with padding k/2");
        }
        return window.height();
    }

    /** Compiles bound weights with the given kernel family. */
    public static GhostNetModel compile(FoldedWeights weights, Kernels kernels) {
        try {
            return new GhostNetModel(weights.description(), i -> weights.layers().get(i), kernels);
        } catch (CheckpointException e) {
            throw new IllegalStateException("bound weights cannot fail to bind: " + e.getMessage(), e);
        }
    }

    /** Binds and packs layer by layer (see {@link WeightBinder#layers}). */
    private static GhostNetModel compile(WeightBinder.Layers weights, Kernels kernels) throws CheckpointException {
        return new GhostNetModel(weights.description(), weights::layer, kernels);
    }

    /** Loads a checkpoint (PyTorch zip or legacy {@code .pth}, or safetensors) with the default kernels. */
    public static GhostNetModel load(Path checkpoint) throws CheckpointException {
        return load(checkpoint, KernelProvider.get());
    }

    /**
     * Loads a checkpoint, inferring width and classes from its shapes, and compiles it for {@code kernels}.
     * The file is closed (and unmapped) before this returns; errors name the file.
     */
    public static GhostNetModel load(Path checkpoint, Kernels kernels) throws CheckpointException {
        try (StateDict stateDict = CheckpointReader.read(checkpoint)) {
            try {
                WeightBinder.Layers weights = WeightBinder.layers(stateDict);
                try {
                    return compile(weights, kernels);
                } catch (IllegalArgumentException e) {
                    // A description whose layer the kernels refuse (e.g. a window shape they do not take).
                    throw new CheckpointException(weights.description() + " cannot run here: " + e.getMessage(), e);
                }
            } catch (CheckpointException e) {
                throw new CheckpointException(checkpoint + ": " + e.getMessage(), e);
            }
        }
    }

    /** A model with seeded random weights (untrained): the same every time for the same arguments. */
    public static GhostNetModel seeded(GhostNetConfig config, long seed, Kernels kernels) {
        try (StateDict stateDict = SeededWeights.stateDict(config, seed)) {
            return compile(WeightBinder.layers(stateDict, config), kernels);
        } catch (CheckpointException e) {
            throw new IllegalStateException("seeded weights do not bind: " + e.getMessage(), e);
        }
    }

    public ModelDescription description() { return description; }
    public GhostNetConfig config() { return description.config(); }
    public Kernels kernels() { return kernels; }

    /**
     * Layer {@code layer}'s prepared kernel op, as the interface its {@link Op} kind compiles to: {@code DenseConv}
     * for {@link Op.Conv}, {@code PointwiseConv}, {@code DepthwiseConv} or {@code WindowDepthwiseConv} (see
     * {@link #depthwise}), {@code SqueezeExcite}, {@code Linear}.
     */
    public <T> T kernel(int layer, Class<T> type) {
        return type.cast(layerKernels[layer]);
    }

    /** Trainable parameters of the PyTorch model (see {@link ModelDescription#parameterCount}). */
    public long parameterCount() { return description.parameterCount(); }

    /** Off-heap bytes of the packed weights (zero for a family that keeps weights on the heap). */
    public long weightBytes() {
        return arena.allocatedBytes();
    }

    /** Throws when the model has been closed; sessions call this before every run. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + description + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}

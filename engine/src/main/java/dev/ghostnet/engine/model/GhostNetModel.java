package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointReader;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Linear;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.SqueezeExcite;

import dev.ghostnet.kernels.CountingArena;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A GhostNet compiled for one kernel family: BatchNorm folded, weights packed off-heap in the model's
 * own arena. Immutable and safe to share between threads; each caller runs it through its own
 * {@link dev.ghostnet.engine.runtime.InferenceSession}. Closing the model frees the weights: sessions
 * that still use it then fail with {@link IllegalStateException}.
 */
public final class GhostNetModel implements AutoCloseable {
    /** The prepared ops of one bottleneck; null fields mark layers the block does not have. */
    public record PreparedBlock(Bottleneck shape, PreparedGhost ghost1, DepthwiseConv strideDepthwise,
                                SqueezeExcite se, PreparedGhost ghost2, DepthwiseConv shortcutDepthwise,
                                PointwiseConv shortcutPointwise) {}

    /** A ghost module's two ops: the primary 1x1 conv and the cheap depthwise 3x3 conv. */
    public record PreparedGhost(PointwiseConv primary, DepthwiseConv cheap) {}

    private final GhostNetConfig config;
    private final Kernels kernels;
    private final CountingArena arena;
    private final DenseConv stem;
    private final List<PreparedBlock> blocks;
    private final PointwiseConv lastConv;
    private final Linear head;
    private final Linear classifier;
    private final long parameterCount;
    private volatile boolean closed;

    private GhostNetModel(GhostNetWeights w, Kernels kernels) {
        this.config = w.config();
        this.kernels = kernels;
        this.arena = new CountingArena(Arena.ofShared());
        try {
            int stemOut = config.stemChannels();
            this.stem = kernels.dense(arena, w.stem().weights(), w.stem().bias(), 3, stemOut, 3, 2, Activation.RELU);
            List<PreparedBlock> prepared = new ArrayList<>();
            for (GhostNetWeights.Block b : w.blocks()) {
                prepared.add(prepare(b));
            }
            this.blocks = List.copyOf(prepared);
            int lastIn = w.blocks().getLast().shape().out();
            this.lastConv = kernels.pointwise(arena, w.lastConv().weights(), w.lastConv().bias(), lastIn,
                    config.lastConvChannels(), Activation.RELU);
            this.head = kernels.linear(arena, w.head().weights(), w.head().bias(), config.lastConvChannels(),
                    GhostNetConfig.HEAD_CHANNELS, Activation.RELU);
            this.classifier = kernels.linear(arena, w.classifier().weights(), w.classifier().bias(),
                    GhostNetConfig.HEAD_CHANNELS, config.numClasses(), Activation.NONE);
            this.parameterCount = StateDictLayout.parameterCount(config);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Compiles bound weights with the given kernel family. */
    public static GhostNetModel compile(GhostNetWeights weights, Kernels kernels) {
        return new GhostNetModel(weights, kernels);
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
            GhostNetWeights weights;
            try {
                weights = WeightBinder.bind(stateDict);
            } catch (CheckpointException e) {
                throw new CheckpointException(checkpoint + ": " + e.getMessage(), e);
            }
            return compile(weights, kernels);
        }
    }

    /** A model with seeded random weights (untrained): the same every time for the same arguments. */
    public static GhostNetModel seeded(GhostNetConfig config, long seed, Kernels kernels) {
        try (StateDict stateDict = SeededWeights.stateDict(config, seed)) {
            return compile(WeightBinder.bind(stateDict, config), kernels);
        } catch (CheckpointException e) {
            throw new IllegalStateException("seeded weights do not bind: " + e.getMessage(), e);
        }
    }

    private PreparedBlock prepare(GhostNetWeights.Block b) {
        Bottleneck s = b.shape();
        PreparedGhost ghost1 = prepare(b.ghost1(), s.in(), Activation.RELU);
        DepthwiseConv strideDw = b.strideDepthwise() == null ? null
                : kernels.depthwise(arena, b.strideDepthwise().weights(), b.strideDepthwise().bias(), s.mid(),
                        s.kernelSize(), s.stride(), Activation.NONE);
        SqueezeExcite se = b.se() == null ? null
                : kernels.squeezeExcite(arena, b.se().reduce().weights(), b.se().reduce().bias(),
                        b.se().expand().weights(), b.se().expand().bias(), s.mid(), s.seReduced());
        PreparedGhost ghost2 = prepare(b.ghost2(), s.mid(), Activation.NONE);
        DepthwiseConv shortcutDw = null;
        PointwiseConv shortcutPw = null;
        if (b.shortcutDepthwise() != null) {
            shortcutDw = kernels.depthwise(arena, b.shortcutDepthwise().weights(), b.shortcutDepthwise().bias(), s.in(),
                    s.kernelSize(), s.stride(), Activation.NONE);
            shortcutPw = kernels.pointwise(arena, b.shortcutPointwise().weights(), b.shortcutPointwise().bias(), s.in(),
                    s.out(), Activation.NONE);
        }
        return new PreparedBlock(s, ghost1, strideDw, se, ghost2, shortcutDw, shortcutPw);
    }

    private PreparedGhost prepare(GhostNetWeights.GhostModule g, int in, Activation activation) {
        PointwiseConv primary = kernels.pointwise(arena, g.primary().weights(), g.primary().bias(), in,
                g.primaryChannels(), activation);
        DepthwiseConv cheap = kernels.depthwise(arena, g.cheap().weights(), g.cheap().bias(), g.cheapChannels(), 3, 1,
                activation);
        return new PreparedGhost(primary, cheap);
    }

    public GhostNetConfig config() { return config; }
    public Kernels kernels() { return kernels; }
    public DenseConv stem() { return stem; }
    public List<PreparedBlock> blocks() { return blocks; }
    public PointwiseConv lastConv() { return lastConv; }
    public Linear head() { return head; }
    public Linear classifier() { return classifier; }

    /** Trainable parameters of the PyTorch model (see {@link StateDictLayout#parameterCount}). */
    public long parameterCount() { return parameterCount; }

    /** Off-heap bytes of the packed weights (zero for a family that keeps weights on the heap). */
    public long weightBytes() {
        return arena.allocatedBytes();
    }

    /** Throws when the model has been closed; sessions call this before every run. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + config + " is closed");
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

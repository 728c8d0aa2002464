package dev.ghostnet;

import dev.ghostnet.engine.image.ImageNetLabels;
import dev.ghostnet.engine.image.PreprocessConfig;
import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.ModelConfig;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A GhostNet image classifier: the entry point of the library.
 *
 * <pre>{@code
 * try (GhostNet model = GhostNet.load(Path.of("ghostnet_100.pth"));
 *      GhostNetSession session = model.newSession()) {
 *     Classification result = session.classify(Path.of("cat.jpg"), 5);
 * }
 * }</pre>
 *
 * <p><b>Threads and ownership.</b> A {@code GhostNet} is immutable and thread-safe: load it once and
 * share it. It owns the packed weights (off-heap); run it through {@link GhostNetSession}s, one per
 * thread, each owning its activation buffers and worker threads. Close the sessions, then the model.
 * Once the model is closed, {@link #newSession} and every call on its sessions throw
 * {@link IllegalStateException} (the sessions must still be closed to free their own buffers).
 */
public final class GhostNet implements AutoCloseable {
    private final GhostNetModel model;
    private final String origin;
    private final boolean untrained;
    private final ModelConfig config;

    private GhostNet(GhostNetModel model, String origin, boolean untrained, ModelConfig config) {
        this.model = model;
        this.origin = origin;
        this.untrained = untrained;
        this.config = config;
    }

    /**
     * Loads a checkpoint of the official or timm GhostNet v1: a PyTorch {@code torch.save} file (zip or
     * legacy) or safetensors; float32, float16 or bfloat16. The width and the number of classes are read
     * from the tensors' shapes. A timm-style {@code config.json} in the checkpoint's directory gives the
     * class names and the evaluation transform ({@link ModelConfig}); without one, ImageNet's.
     *
     * @throws CheckpointException naming the file and the problem: missing, unreadable, not a checkpoint,
     *                             keys and shapes that are not a GhostNet's, or a config.json that is not
     *                             usable or does not match the checkpoint's classes
     */
    public static GhostNet load(Path checkpoint) throws CheckpointException {
        if (!Files.exists(checkpoint)) {
            throw new CheckpointException(checkpoint + ": no such file");
        }
        return load(checkpoint, ModelConfig.beside(checkpoint).orElse(ModelConfig.none()));
    }

    /** Loads a checkpoint with the given class names and transform ({@link ModelConfig#read}, {@link ModelConfig#none}). */
    public static GhostNet load(Path checkpoint, ModelConfig config) throws CheckpointException {
        if (!Files.exists(checkpoint)) {
            throw new CheckpointException(checkpoint + ": no such file");
        }
        GhostNetModel model = GhostNetModel.load(checkpoint, KernelProvider.get());
        try {
            config.checkClasses(model.config().numClasses(), checkpoint.toString());
        } catch (CheckpointException e) {
            model.close();
            throw e;
        }
        return new GhostNet(model, checkpoint.toString(), false, config);
    }

    /**
     * A model with deterministic random weights: untrained, its predictions are meaningless. For trying the
     * API, tests and benchmarks without a checkpoint.
     *
     * @param width   the width multiplier (1.0 for GhostNet 1.0; 0.5 and 1.3 are the other published ones)
     * @param classes the number of output classes (1000 for ImageNet labels)
     * @param seed    the same seed gives the same weights
     */
    public static GhostNet seeded(double width, int classes, long seed) {
        GhostNetConfig config = new GhostNetConfig(width, classes);
        return new GhostNet(GhostNetModel.seeded(config, seed, KernelProvider.get()),
                "seeded (seed " + seed + ")", true, ModelConfig.none());
    }

    /** Wraps a compiled model, which the result then owns (tests use it for models with chosen weights). */
    static GhostNet wrap(GhostNetModel model, String origin, boolean untrained) {
        return new GhostNet(model, origin, untrained, ModelConfig.none());
    }

    /** A session with {@link SessionConfig#defaults()} and this model's {@link #preprocess()}: every core, one image at a time. */
    public GhostNetSession newSession() {
        return newSession(SessionConfig.defaults().withPreprocess(preprocess()));
    }

    /** A session for one thread at a time; its buffers are allocated now, for {@code config.batchCapacity()} images. */
    public GhostNetSession newSession(SessionConfig config) {
        checkOpen();
        return new GhostNetSession(this, model, config);
    }

    /** The width multiplier. */
    public double width() {
        return model.config().width();
    }

    /** The number of classes the model outputs. */
    public int numClasses() {
        return model.config().numClasses();
    }

    /** Trainable parameters as PyTorch counts them: 5,182,508 for GhostNet 1.0 with 1000 classes. */
    public long parameterCount() {
        return model.parameterCount();
    }

    /** Off-heap bytes of the packed weights. */
    public long weightBytes() {
        return model.weightBytes();
    }

    /** True for {@link #seeded} models, whose predictions mean nothing. */
    public boolean isUntrained() {
        return untrained;
    }

    /**
     * The name of class {@code index}: the configuration's label names, else ImageNet's for 1000-class
     * models, else {@code "class <index>"}.
     */
    public String label(int index) {
        int classes = numClasses();
        if (index < 0 || index >= classes) {
            throw new IndexOutOfBoundsException("class index " + index + " is outside 0.." + (classes - 1));
        }
        if (!config.labels().isEmpty()) {
            return config.labels().get(index);
        }
        return classes == ImageNetLabels.CLASS_COUNT ? ImageNetLabels.get(index) : "class " + index;
    }

    /** The evaluation transform the model was trained for: its config.json's, else torchvision's ImageNet one. */
    public PreprocessConfig preprocess() {
        return config.preprocess();
    }

    /** Throws {@link IllegalStateException} once the model is closed. */
    void checkOpen() {
        model.checkOpen();
    }

    /** Frees the weights. Idempotent. Sessions of this model fail from now on. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return model.config() + ", " + origin + ", kernels " + model.kernels().name();
    }
}

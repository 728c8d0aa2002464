package dev.ghostnet;

import dev.ghostnet.engine.image.ImageNetLabels;
import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.ModelConfig;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A GhostNet image classifier: the entry point of the library.
 *
 * <pre>{@code
 * try (GhostNet model = GhostNet.load(Path.of("ghostnet_100.pth"))) {
 *     Classification result = model.classify(Path.of("cat.jpg"), 5);   // safe from any number of threads
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A {@code GhostNet} is thread-safe: load it once and share it. Its {@code classify},
 * {@code logits} and {@code features} methods may be called from any number of threads at once; each
 * call borrows a session from a pool inside the model (see {@link PoolConfig}: created when needed,
 * bounded, closed with the model), so results are the same as from one thread, bit for bit. For the
 * lowest latency of one caller, or to choose threads, batch and preprocessing per caller, open a
 * {@link GhostNetSession} of your own ({@link #newSession}), one per thread.
 *
 * <p><b>Ownership.</b> The model owns its packed weights (off-heap) and its pooled sessions. Close it
 * when no call is running any more, after the sessions you opened. Once it is closed, every method
 * but {@link #close()} and {@link #toString()} throws {@link IllegalStateException}, and so do its
 * sessions (close them still, to free their buffers).
 *
 * <p><b>Arguments.</b> As for {@link GhostNetSession}: nulls throw {@link NullPointerException} naming
 * the parameter, non-finite inputs {@link IllegalArgumentException}, unreadable images
 * {@link ImageReadException}.
 */
public final class GhostNet implements AutoCloseable {
    private final GhostNetModel model;
    private final String origin;
    private final boolean untrained;
    private final ModelConfig config;
    private final SessionPool pool;

    private GhostNet(GhostNetModel model, String origin, boolean untrained, ModelConfig config, PoolConfig poolConfig) {
        this.model = model;
        this.origin = origin;
        this.untrained = untrained;
        this.config = config;
        this.pool = new SessionPool(this, poolConfig);
    }

    /**
     * Loads a checkpoint of the official or timm GhostNet v1 with the default {@link PoolConfig}.
     *
     * A timm-style {@code config.json} in the checkpoint's directory, if there is one, gives the class
     * names and the evaluation transform ({@link #preprocessing()}); without one, ImageNet's.
     *
     * @param checkpoint a PyTorch {@code torch.save} file (zip or legacy) or safetensors, float32, float16 or
     *                   bfloat16; the version, width and number of classes are read from the tensors' keys
     *                   and shapes
     * @return the model
     * @throws ModelLoadException naming the file and the problem: missing, unreadable, not a checkpoint,
     *                            keys and shapes that are not a GhostNet's, or a config.json that is not
     *                            usable or does not match the checkpoint's classes
     */
    public static GhostNet load(Path checkpoint) throws ModelLoadException {
        return load(checkpoint, PoolConfig.defaults());
    }

    /**
     * Loads a checkpoint with explicit companion files (a config.json, a label list) and pool.
     *
     * @param checkpoint the checkpoint file, as for {@link #load(Path)}
     * @param options    the config.json and labels to use instead of the one beside the checkpoint, and the pool
     * @return the model
     * @throws ModelLoadException naming the file and the problem
     */
    public static GhostNet load(Path checkpoint, LoadOptions options) throws ModelLoadException {
        Objects.requireNonNull(checkpoint, "checkpoint must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return loadFile(checkpoint, checkpoint.toString(), options, true);
    }

    /**
     * Loads a checkpoint (as {@link #load(Path)}) with the given pool for the model's own calls.
     *
     * @param checkpoint the file
     * @param pool       the sessions behind the model's thread-safe calls
     * @return the model
     * @throws ModelLoadException naming the file and the problem
     */
    public static GhostNet load(Path checkpoint, PoolConfig pool) throws ModelLoadException {
        Objects.requireNonNull(checkpoint, "checkpoint must not be null");
        return loadFile(checkpoint, checkpoint.toString(), LoadOptions.defaults().withPool(pool), true);
    }

    /**
     * Loads a checkpoint file, {@code origin} saying where it came from; {@code besideConfig} says whether a
     * config.json in its directory applies (not for a temporary file holding bytes or a stream).
     */
    static GhostNet loadFile(Path checkpoint, String origin, LoadOptions options, boolean besideConfig)
            throws ModelLoadException {
        if (!Files.exists(checkpoint)) {
            throw new ModelLoadException(checkpoint + ": no such file", null);
        }
        try {
            ModelConfig config = modelConfig(checkpoint, options, besideConfig);
            GhostNetModel model = GhostNetModel.load(checkpoint, switch (options.kernels()) {
                case AUTO -> KernelProvider.get();
                case SCALAR -> KernelProvider.of("scalar");
            });
            try {
                config.checkClasses(model.config().numClasses(), origin);
            } catch (CheckpointException e) {
                model.close();
                throw e;
            }
            return new GhostNet(model, origin, false, config, options.pool());
        } catch (CheckpointException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    private static ModelConfig modelConfig(Path checkpoint, LoadOptions options, boolean besideConfig)
            throws CheckpointException {
        ModelConfig config = options.config() != null ? ModelConfig.read(options.config())
                : besideConfig ? ModelConfig.beside(checkpoint).orElse(ModelConfig.none()) : ModelConfig.none();
        if (options.labels() != null) {
            config = config.withLabels(ModelConfig.readLabels(options.labels()), options.labels().toString());
        }
        return config;
    }

    /**
     * Loads a checkpoint held in memory (the bytes of a file {@link #load(Path)} accepts).
     *
     * @param checkpoint the bytes (not modified)
     * @return the model
     * @throws ModelLoadException when they are not a GhostNet checkpoint
     */
    public static GhostNet load(byte[] checkpoint) throws ModelLoadException {
        return load(checkpoint, PoolConfig.defaults());
    }

    /**
     * Loads a checkpoint held in memory, with the given pool.
     *
     * @param checkpoint the bytes (not modified)
     * @param pool       the sessions behind the model's thread-safe calls
     * @return the model
     * @throws ModelLoadException when they are not a GhostNet checkpoint
     */
    public static GhostNet load(byte[] checkpoint, PoolConfig pool) throws ModelLoadException {
        Objects.requireNonNull(checkpoint, "checkpoint must not be null");
        return Spooled.load(checkpoint, "checkpoint bytes", pool);
    }

    /**
     * Loads a checkpoint read from a stream to its end (the stream is not closed).
     *
     * @param checkpoint the stream
     * @return the model
     * @throws ModelLoadException when the stream fails or does not hold a GhostNet checkpoint
     */
    public static GhostNet load(InputStream checkpoint) throws ModelLoadException {
        return load(checkpoint, PoolConfig.defaults());
    }

    /**
     * Loads a checkpoint read from a stream, with the given pool.
     *
     * @param checkpoint the stream (not closed)
     * @param pool       the sessions behind the model's thread-safe calls
     * @return the model
     * @throws ModelLoadException when the stream fails or does not hold a GhostNet checkpoint
     */
    public static GhostNet load(InputStream checkpoint, PoolConfig pool) throws ModelLoadException {
        Objects.requireNonNull(checkpoint, "checkpoint must not be null");
        byte[] bytes;
        try {
            bytes = checkpoint.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("checkpoint stream: cannot read: " + e.getMessage(), e);
        }
        return Spooled.load(bytes, "checkpoint stream", pool);
    }

    /**
     * A model with deterministic random weights: untrained, its predictions are meaningless. For trying
     * the API, tests and benchmarks without a checkpoint.
     *
     * @param width   the width multiplier (1.0 for GhostNet 1.0; 0.5 and 1.3 are the other published ones)
     * @param classes the number of output classes (1000 for ImageNet labels)
     * @param seed    the same seed gives the same weights
     * @return the model
     */
    public static GhostNet seeded(double width, int classes, long seed) {
        return seeded(width, classes, seed, PoolConfig.defaults());
    }

    /**
     * A seeded model (as {@link #seeded(double, int, long)}) with the given pool.
     *
     * @param width   the width multiplier
     * @param classes the number of output classes
     * @param seed    the same seed gives the same weights
     * @param pool    the sessions behind the model's thread-safe calls
     * @return the model
     */
    public static GhostNet seeded(double width, int classes, long seed, PoolConfig pool) {
        Objects.requireNonNull(pool, "pool must not be null");
        GhostNetConfig config = new GhostNetConfig(width, classes);
        return new GhostNet(GhostNetModel.seeded(config, seed, KernelProvider.get()), "seeded (seed " + seed + ")",
                true, ModelConfig.none(), pool);
    }

    /** Wraps a compiled model, which the result then owns (tests use it for models with chosen weights). */
    static GhostNet wrap(GhostNetModel model, String origin, boolean untrained) {
        return new GhostNet(model, origin, untrained, ModelConfig.none(), PoolConfig.defaults());
    }

    /**
     * A session with {@link #sessionDefaults()}: every core, one image at a time, this model's preprocessing.
     *
     * @return a new session, which the caller closes
     */
    public GhostNetSession newSession() {
        return newSession(sessionDefaults());
    }

    /**
     * {@link SessionConfig#defaults()} with this model's {@link #preprocessing()}: the configuration to start
     * from when adjusting threads or batch capacity.
     *
     * @return the configuration
     */
    public SessionConfig sessionDefaults() {
        return SessionConfig.defaults().withPreprocessing(preprocessing());
    }

    /**
     * The evaluation transform the model was trained for: its config.json's, else torchvision's ImageNet one.
     *
     * @return the transform
     */
    public Preprocessing preprocessing() {
        checkOpen();
        return Preprocessing.of(config.preprocess());
    }

    /**
     * A session for one thread at a time; its buffers are allocated now, for
     * {@code config.batchCapacity()} images.
     *
     * @param config threads, batch capacity and preprocessing
     * @return a new session, which the caller closes
     */
    public GhostNetSession newSession(SessionConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        checkOpen();
        return new GhostNetSession(this, model, config);
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(Path, int)} on a pooled session.
     *
     * @param image a PNG or JPEG file
     * @param topK  how many classes to return
     * @return the top classes
     * @throws ImageReadException naming the file when it cannot be read
     */
    public Classification classify(Path image, int topK) throws ImageReadException {
        return withSession(s -> s.classify(image, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(byte[], int)} on a pooled session.
     *
     * @param encoded a PNG or JPEG file's bytes
     * @param topK    how many classes to return
     * @return the top classes
     * @throws ImageReadException when the bytes are not a supported, intact image
     */
    public Classification classify(byte[] encoded, int topK) throws ImageReadException {
        return withSession(s -> s.classify(encoded, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(InputStream, int)} on a pooled session.
     *
     * @param encoded a stream holding a PNG or JPEG file (read to its end, not closed)
     * @param topK    how many classes to return
     * @return the top classes
     * @throws ImageReadException when the stream fails or does not hold a supported, intact image
     */
    public Classification classify(InputStream encoded, int topK) throws ImageReadException {
        return withSession(s -> s.classify(encoded, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(BufferedImage, int)} on a pooled session.
     *
     * @param image a decoded image
     * @param topK  how many classes to return
     * @return the top classes
     */
    public Classification classify(BufferedImage image, int topK) {
        return withSession(s -> s.classify(image, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(List, int)} on a pooled session: a result or an error
     * per file.
     *
     * @param images the files
     * @param topK   how many classes to return per image
     * @return one result per file, in order
     */
    public List<ImageResult> classify(List<Path> images, int topK) {
        return withSession(s -> s.classify(images, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#classify(ImageTensor, int)} on a pooled session.
     *
     * @param input preprocessed images of the pool's crop size
     * @param topK  how many classes to return per image
     * @return one classification per image
     */
    public List<Classification> classify(ImageTensor input, int topK) {
        return withSession(s -> s.classify(input, topK));
    }

    /**
     * Thread-safe {@link GhostNetSession#logits(ImageTensor)} on a pooled session.
     *
     * @param input preprocessed images of the pool's crop size
     * @return {@code N x classes} floats, image-major
     */
    public float[] logits(ImageTensor input) {
        return withSession(s -> s.logits(input));
    }

    /**
     * Thread-safe {@link GhostNetSession#logits(ImageTensor, float[])} on a pooled session.
     *
     * @param input preprocessed images of the pool's crop size
     * @param out   room for at least {@code N x classes} floats
     * @return N, the number of images
     */
    public int logits(ImageTensor input, float[] out) {
        GhostNetSession session = pool.borrow();
        try {
            return session.logits(input, out);
        } finally {
            pool.giveBack(session);
        }
    }

    /**
     * Thread-safe {@link GhostNetSession#logits(float[])} on a pooled session.
     *
     * @param nchw N x 3 x crop x crop floats
     * @return {@code N x classes} floats, image-major
     */
    public float[] logits(float[] nchw) {
        return withSession(s -> s.logits(nchw));
    }

    /**
     * Thread-safe {@link GhostNetSession#logits(float[], float[])} on a pooled session; allocates nothing
     * in steady state.
     *
     * @param nchw N x 3 x crop x crop floats
     * @param out  room for at least {@code N x classes} floats
     * @return N, the number of images
     */
    public int logits(float[] nchw, float[] out) {
        GhostNetSession session = pool.borrow();
        try {
            return session.logits(nchw, out);
        } finally {
            pool.giveBack(session);
        }
    }

    /**
     * Thread-safe {@link GhostNetSession#features(ImageTensor)} on a pooled session.
     *
     * @param input preprocessed images of the pool's crop size
     * @return the stride-8, -16 and -32 feature maps
     */
    public List<FeatureMap> features(ImageTensor input) {
        return withSession(s -> s.features(input));
    }

    /**
     * The top classes of one image's logits, computed as {@link GhostNetSession#classify} computes them
     * (softmax in double, ties in index order, this model's labels): for callers that ran
     * {@link GhostNetSession#logits(ImageTensor, float[])} themselves and want the logits and the
     * classification from one run.
     *
     * @param logits the logits of one or more images, image-major
     * @param offset where this image's {@link #numClasses()} logits start
     * @param topK   how many classes to return, positive (capped at the number of classes)
     * @param source the classification's source
     * @return the top classes
     * @throws IllegalArgumentException  when {@code topK} is not positive
     * @throws IndexOutOfBoundsException when the logits do not hold {@code numClasses()} values at {@code offset}
     * @throws IllegalStateException     when a logit is not finite
     */
    public Classification classification(float[] logits, int offset, int topK, String source) {
        Objects.requireNonNull(logits, "logits must not be null");
        Objects.requireNonNull(source, "source must not be null");
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
        int classes = numClasses();
        Objects.checkFromIndexSize(offset, classes, logits.length);
        return new Classification(source, Predictions.top(logits, offset, classes, topK, this::label, source));
    }

    /**
     * What the model is: architecture, size, kernels, origin.
     *
     * @return the metadata
     */
    public ModelInfo info() {
        checkOpen();
        GhostNetConfig config = model.config();
        return new ModelInfo(config.toString(), config.width(), config.numClasses(), model.parameterCount(),
                model.weightBytes(), model.kernels().name(), origin, untrained);
    }

    /**
     * The execution plan a session of this shape would run (its buffers are allocated for the question
     * and freed before this returns).
     *
     * @param batch   images per run
     * @param height  input rows
     * @param width   input columns
     * @param threads threads per inference
     * @return the plan
     */
    public Plan plan(int batch, int height, int width, int threads) {
        checkOpen();
        try (InferenceSession session = new InferenceSession(model, new SessionOptions(batch, height, width, threads))) {
            List<PlanStep> steps = session.steps().stream()
                    .map(s -> new PlanStep(s.name(), s.description(), s.outputHeight(), s.outputWidth(),
                            s.outputChannels(), s.parameters(), s.weightMacsPerImage(), s.fusedGroup()))
                    .toList();
            return new Plan(batch, height, width, threads, steps, session.activationBytes());
        }
    }

    /**
     * The width multiplier.
     *
     * @return e.g. 1.0
     */
    public double width() {
        checkOpen();
        return model.config().width();
    }

    /**
     * The number of classes the model outputs.
     *
     * @return e.g. 1000
     */
    public int numClasses() {
        checkOpen();
        return model.config().numClasses();
    }

    /**
     * Trainable parameters as PyTorch counts them: 5,182,508 for GhostNet 1.0 with 1000 classes.
     *
     * @return the count
     */
    public long parameterCount() {
        checkOpen();
        return model.parameterCount();
    }

    /**
     * Off-heap bytes of the packed weights.
     *
     * @return the bytes
     */
    public long weightBytes() {
        checkOpen();
        return model.weightBytes();
    }

    /**
     * True for {@link #seeded} models, whose predictions mean nothing.
     *
     * @return whether the weights are random
     */
    public boolean isUntrained() {
        checkOpen();
        return untrained;
    }

    /**
     * The name of a class: the config.json's or label file's names, else ImageNet's for 1000-class
     * models, else {@code "class <index>"}.
     *
     * @param index the class index, 0 to {@code numClasses() - 1}
     * @return its name
     * @throws IndexOutOfBoundsException when the index is outside the classes
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

    /** Throws {@link IllegalStateException} once the model is closed. */
    void checkOpen() {
        model.checkOpen();
    }

    /** A call on a pooled session; {@code E} is inferred as the call's checked exception, if any. */
    private <T, E extends Exception> T withSession(SessionCall<T, E> call) throws E {
        GhostNetSession session = pool.borrow();
        try {
            return call.apply(session);
        } finally {
            pool.giveBack(session);
        }
    }

    @FunctionalInterface
    private interface SessionCall<T, E extends Exception> {
        T apply(GhostNetSession session) throws E;
    }

    /**
     * Frees the pooled sessions and the weights. Idempotent. Sessions of this model fail from now on.
     */
    @Override
    public void close() {
        pool.close();
        model.close();
    }

    @Override
    public String toString() {
        return model.config() + ", " + origin + ", kernels " + model.kernels().name();
    }
}

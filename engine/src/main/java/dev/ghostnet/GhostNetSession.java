package dev.ghostnet;

import dev.ghostnet.engine.image.ImageDecoder;
import dev.ghostnet.engine.image.ImageException;
import dev.ghostnet.engine.image.Preprocessor;
import dev.ghostnet.engine.image.RgbImage;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.Layouts;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.engine.runtime.Warmup;
import dev.ghostnet.kernels.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Classifies images with a {@link GhostNet}: decodes PNG and JPEG files, preprocesses them like
 * torchvision, runs the network and turns logits into top-k {@link Classification}s. Lists longer than
 * the batch capacity are run in chunks; a shorter chunk runs only the images it has.
 *
 * <p><b>Threads and ownership.</b> Not thread-safe: one session per thread (many sessions may share one
 * model). The session owns off-heap activation buffers and {@code threads - 1} worker threads: close it
 * when done. After {@link #close()}, or once its model is closed, every method throws
 * {@link IllegalStateException}.
 *
 * <p>Top-k: {@code topK} must be positive and is capped at the number of classes.
 */
public final class GhostNetSession implements AutoCloseable {
    private final GhostNet model;
    private final SessionConfig config;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder = new ImageDecoder();
    private final InferenceSession session;
    private final int imageFloats;
    private boolean closed;

    GhostNetSession(GhostNet model, GhostNetModel engineModel, SessionConfig config) {
        this.model = model;
        this.config = config;
        this.preprocessor = new Preprocessor(config.preprocess());
        int size = preprocessor.outputSize();
        this.imageFloats = 3 * size * size;
        Warmup.ensure(engineModel, config.threads()); // once per JVM: the kernels reach C2 before the first image
        this.session = new InferenceSession(engineModel,
                new SessionOptions(config.batchCapacity(), size, size, config.threads()));
    }

    public SessionConfig config() {
        return config;
    }

    /** The model this session runs. */
    public GhostNet model() {
        return model;
    }

    /**
     * Classifies one PNG or JPEG file (recognised by content).
     *
     * @throws ImageException naming the file when it is missing, unreadable, corrupt or unsupported
     */
    public Classification classify(Path image, int topK) throws ImageException {
        return classify(List.of(image), topK).getFirst();
    }

    /**
     * Classifies files in order, in chunks of the batch capacity; each result's source is the path as given.
     *
     * @throws ImageException naming the first file that cannot be decoded (no results are returned then)
     */
    public List<Classification> classify(List<Path> images, int topK) throws ImageException {
        checkTopK(topK);
        checkOpen();
        List<Classification> results = new ArrayList<>(images.size());
        int capacity = config.batchCapacity();
        for (int from = 0; from < images.size(); from += capacity) {
            List<Path> chunk = images.subList(from, Math.min(images.size(), from + capacity));
            List<String> sources = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                preprocessor.toTensor(decoder.decode(chunk.get(i)), session.input(), i);
                sources.add(chunk.get(i).toString());
            }
            results.addAll(run(sources, topK));
        }
        return results;
    }

    /** Classifies a decoded image; its source is {@code "image 0"}. */
    public Classification classify(RgbImage image, int topK) {
        return classifyImages(List.of(image), topK).getFirst();
    }

    /** Classifies decoded images in chunks of the batch capacity; sources are {@code "image <i>"}. */
    public List<Classification> classifyImages(List<RgbImage> images, int topK) {
        checkTopK(topK);
        checkOpen();
        List<Classification> results = new ArrayList<>(images.size());
        int capacity = config.batchCapacity();
        for (int from = 0; from < images.size(); from += capacity) {
            int count = Math.min(capacity, images.size() - from);
            List<String> sources = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                preprocessor.toTensor(images.get(from + i), session.input(), i);
                sources.add("image " + (from + i));
            }
            results.addAll(run(sources, topK));
        }
        return results;
    }

    /**
     * Classifies already preprocessed images: a dense NCHW float array of any number of RGB images of the
     * crop size (3 x 224 x 224 floats each by default), normalised. Sources are {@code "input <i>"}.
     */
    public List<Classification> classify(float[] nchw, int topK) {
        checkTopK(topK);
        int images = imageCount(nchw);
        int classes = model.numClasses();
        float[] logits = logits(nchw);
        List<Classification> results = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            String source = "input " + i;
            results.add(new Classification(source,
                    Predictions.top(logits, i * classes, classes, topK, model::label, source)));
        }
        return results;
    }

    /**
     * The raw logits of already preprocessed images (dense NCHW, as for {@link #classify(float[], int)}):
     * {@code images x classes} floats, image-major.
     */
    public float[] logits(float[] nchw) {
        checkOpen();
        int images = imageCount(nchw);
        int classes = model.numClasses();
        float[] logits = new float[images * classes];
        int capacity = config.batchCapacity();
        for (int from = 0; from < images; from += capacity) {
            int count = Math.min(capacity, images - from);
            float[] chunk = Arrays.copyOfRange(nchw, from * imageFloats, (from + count) * imageFloats);
            Layouts.copyFromNchw(chunk, session.input().images(0, count));
            float[] out = session.run(count).images(0, count).toArray();
            System.arraycopy(out, 0, logits, from * classes, count * classes);
        }
        return logits;
    }

    /** Runs the images already in the input tensor's first {@code sources.size()} slots. */
    private List<Classification> run(List<String> sources, int topK) {
        int count = sources.size();
        if (count == 0) {
            return List.of();
        }
        int classes = model.numClasses();
        float[] logits = session.run(count).images(0, count).toArray();
        List<Classification> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(new Classification(sources.get(i),
                    Predictions.top(logits, i * classes, classes, topK, model::label, sources.get(i))));
        }
        return results;
    }

    private int imageCount(float[] nchw) {
        int size = preprocessor.outputSize();
        if (nchw.length == 0 || nchw.length % imageFloats != 0) {
            throw new IllegalArgumentException("expected NCHW input of N x 3 x " + size + " x " + size + " floats (N >= 1,"
                    + " a multiple of " + imageFloats + "), got " + nchw.length);
        }
        return nchw.length / imageFloats;
    }

    private static void checkTopK(int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("GhostNet session is closed");
        }
        model.checkOpen();
    }

    /** Frees the activation buffers and stops the worker threads. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}

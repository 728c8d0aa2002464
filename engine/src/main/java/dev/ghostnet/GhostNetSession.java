package dev.ghostnet;

import dev.ghostnet.engine.image.ImageDecoder;
import dev.ghostnet.engine.image.ImageException;
import dev.ghostnet.engine.image.Preprocessor;
import dev.ghostnet.engine.image.RgbImage;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.engine.runtime.SingleCaller;
import dev.ghostnet.engine.runtime.Warmup;
import dev.ghostnet.kernels.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link GhostNet} for one thread at a time: decodes PNG and JPEG images, preprocesses them like
 * torchvision, runs the network and turns logits into top-k {@link Classification}s; or runs preprocessed
 * {@link ImageTensor}s to logits and feature maps. Inputs longer than the batch capacity are run in chunks.
 *
 * <p><b>Threads and ownership.</b> One call at a time: a call made while another thread's call is running
 * throws {@link IllegalStateException} at once (a cheap owner check), rather than mixing the two
 * inputs. Use one session per thread, or the model's own thread-safe methods, which borrow pooled
 * sessions. The session owns off-heap activation buffers and {@code threads - 1} worker threads: close it
 * when done. After {@link #close()}, or once its model is closed, every method but {@code close} throws
 * {@link IllegalStateException}.
 *
 * <p><b>Arguments.</b> Null arguments throw {@link NullPointerException} naming the parameter;
 * {@code topK} must be positive and is capped at the number of classes; non-finite input values throw
 * {@link IllegalArgumentException} naming the image and position (for {@link #logits} as for
 * {@link #classify}). Logits that come out non-finite from finite input (broken weights) throw
 * {@link IllegalStateException}.
 */
public final class GhostNetSession implements AutoCloseable {
    private final GhostNet model;
    private final SessionConfig config;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder = new ImageDecoder();
    private final InferenceSession session;
    private final SingleCaller caller = new SingleCaller("GhostNetSession",
            "Use one session per thread, or the GhostNet's own thread-safe methods (they pool sessions).");
    private final int height;
    private final int width;
    private final int classes;
    /** The last run's logits, batch-major: top-k reads them from here without allocating. */
    private final float[] logits;
    private final InputCopy inputCopy;
    private volatile boolean closed;

    GhostNetSession(GhostNet model, GhostNetModel engineModel, SessionConfig config) {
        this.model = model;
        this.config = config;
        this.preprocessor = new Preprocessor(config.preprocessing().toConfig());
        this.height = config.inputHeight();
        this.width = config.inputWidth();
        this.classes = engineModel.config().numClasses();
        this.logits = new float[config.batchCapacity() * classes];
        Warmup.ensure(engineModel, config.threads()); // once per JVM: the kernels reach C2 before the first image
        this.session = new InferenceSession(engineModel,
                new SessionOptions(config.batchCapacity(), height, width, config.threads()));
        this.inputCopy = new InputCopy(width, session.input().channels());
    }

    /**
     * The configuration this session was created with.
     *
     * @return the configuration
     */
    public SessionConfig config() {
        return config;
    }

    /**
     * The model this session runs.
     *
     * @return the model
     */
    public GhostNet model() {
        return model;
    }

    /**
     * Classifies one PNG or JPEG file (recognised by content); the result's source is the path as given.
     *
     * @param image the file
     * @param topK  how many classes to return
     * @return the top classes
     * @throws ImageReadException naming the file when it is missing, unreadable, corrupt or unsupported
     */
    public Classification classify(Path image, int topK) throws ImageReadException {
        Objects.requireNonNull(image, "image must not be null");
        return classifyOne(() -> decode(image), image.toString(), topK);
    }

    /**
     * Classifies an encoded PNG or JPEG held in memory; the result's source is {@code "image bytes"}.
     *
     * @param encoded the file's bytes (not modified)
     * @param topK    how many classes to return
     * @return the top classes
     * @throws ImageReadException when the bytes are not a supported, intact image
     */
    public Classification classify(byte[] encoded, int topK) throws ImageReadException {
        Objects.requireNonNull(encoded, "encoded must not be null");
        return classifyOne(() -> decode(encoded, "image bytes"), "image bytes", topK);
    }

    /**
     * Classifies an encoded PNG or JPEG read from a stream to its end (the stream is not closed); the
     * result's source is {@code "image stream"}.
     *
     * @param encoded the stream
     * @param topK    how many classes to return
     * @return the top classes
     * @throws ImageReadException when the stream fails or does not hold a supported, intact image
     */
    public Classification classify(InputStream encoded, int topK) throws ImageReadException {
        Objects.requireNonNull(encoded, "encoded must not be null");
        return classifyOne(() -> {
            try {
                return decode(encoded.readAllBytes(), "image stream");
            } catch (IOException e) {
                throw new ImageReadException("cannot read image stream: " + e.getMessage(), e);
            }
        }, "image stream", topK);
    }

    /**
     * Classifies an image decoded elsewhere; its RGB samples are used as they are (grayscale replicated,
     * alpha dropped). The result's source is {@code "image"}.
     *
     * @param image the image
     * @param topK  how many classes to return
     * @return the top classes
     * @throws IllegalArgumentException when the image is CMYK or larger than the pixel limit
     */
    public Classification classify(BufferedImage image, int topK) {
        Objects.requireNonNull(image, "image must not be null");
        return classifyOne(() -> {
            try {
                return decoder.fromBufferedImage(image, "image");
            } catch (ImageException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, "image", topK);
    }

    /** Where one image comes from: decoded inside the call, {@code E} being how that can fail. */
    @FunctionalInterface
    private interface ImageSource<E extends Exception> {
        RgbImage decode() throws E;
    }

    /** Decodes and classifies one image within one claimed call. */
    private <E extends Exception> Classification classifyOne(ImageSource<E> image, String source, int topK) throws E {
        checkTopK(topK);
        checkImageInput();
        enter();
        try {
            return classifyDecoded(image.decode(), source, topK);
        } finally {
            caller.exit();
        }
    }

    /**
     * Classifies files in order, in chunks of the batch capacity. A file that cannot be read gives a
     * {@link ImageResult.Failed} in its place; the others are still classified.
     *
     * @param images the files
     * @param topK   how many classes to return per image
     * @return one result per file, in order, each with the path as given as its source
     */
    public List<ImageResult> classify(List<Path> images, int topK) {
        Objects.requireNonNull(images, "images must not be null");
        checkTopK(topK);
        checkImageInput();
        enter();
        try {
            List<ImageResult> results = new ArrayList<>(images.size());
            int capacity = config.batchCapacity();
            List<String> sources = new ArrayList<>(capacity);
            for (Path image : images) {
                Objects.requireNonNull(image, "images must not contain null");
                String source = image.toString();
                try {
                    preprocessor.toTensor(decode(image), session.input(), sources.size());
                    sources.add(source);
                    results.add(null); // filled in when the chunk has run
                } catch (ImageReadException e) {
                    results.add(new ImageResult.Failed(source, e));
                }
                if (sources.size() == capacity) {
                    runChunk(sources, results, topK);
                }
            }
            runChunk(sources, results, topK);
            return results;
        } finally {
            caller.exit();
        }
    }

    /**
     * Decodes an encoded PNG or JPEG and preprocesses it as {@link #classify(byte[], int)} does, writing
     * one NHWC image ({@code crop x crop x 3} floats) into {@code out} from {@code offset}. Images gathered
     * this way side by side run together through {@link #logits(ImageTensor, float[])} with the logits
     * {@code classify} computes: for callers that batch images held in memory (a Spark partition, say) and
     * want a failed image to cost only its own place in the batch. Uses no buffer of the session, so it may
     * be called while another thread runs the session.
     *
     * @param encoded the file's bytes (not modified)
     * @param out     the batch being gathered
     * @param offset  where this image's floats start
     * @throws ImageReadException        when the bytes are not a supported, intact image
     * @throws IndexOutOfBoundsException when {@code out} has no room for the image at {@code offset}
     */
    public void preprocess(byte[] encoded, float[] out, int offset) throws ImageReadException {
        Objects.requireNonNull(encoded, "encoded must not be null");
        Objects.requireNonNull(out, "out must not be null");
        checkOpen();
        preprocessor.toNhwc(decode(encoded, "image bytes"), out, offset);
    }

    /**
     * Preprocesses an image decoded elsewhere as {@link #classify(BufferedImage, int)} does, writing one
     * NHWC image ({@code crop x crop x 3} floats) into {@code out} from {@code offset}; see
     * {@link #preprocess(byte[], float[], int)}.
     *
     * @param image  the image
     * @param out    the batch being gathered
     * @param offset where this image's floats start
     * @throws IllegalArgumentException  when the image is CMYK or larger than the pixel limit
     * @throws IndexOutOfBoundsException when {@code out} has no room for the image at {@code offset}
     */
    public void preprocess(BufferedImage image, float[] out, int offset) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(out, "out must not be null");
        checkOpen();
        try {
            preprocessor.toNhwc(decoder.fromBufferedImage(image, "image"), out, offset);
        } catch (ImageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Classifies preprocessed images; sources are {@code "input <i>"}.
     *
     * @param input N images of the crop size
     * @param topK  how many classes to return per image
     * @return one classification per image
     */
    public List<Classification> classify(ImageTensor input, int topK) {
        checkTopK(topK);
        float[] all = logits(input);
        List<Classification> results = new ArrayList<>(all.length / classes);
        for (int i = 0; i < all.length / classes; i++) {
            String source = "input " + i;
            results.add(new Classification(source,
                    Predictions.top(all, i * classes, classes, topK, model::label, source)));
        }
        return results;
    }

    /**
     * The logits of preprocessed images.
     *
     * @param input N images of the crop size
     * @return {@code N x classes} floats, image-major
     */
    public float[] logits(ImageTensor input) {
        float[] out = new float[imageCount(input) * classes];
        logits(input, out);
        return out;
    }

    /**
     * The logits of preprocessed images written into {@code out}: the call allocates nothing on the heap
     * in steady state.
     *
     * @param input N images of the crop size
     * @param out   room for at least {@code N x classes} floats, written image-major from index 0
     * @return N, the number of images
     */
    public int logits(ImageTensor input, float[] out) {
        Objects.requireNonNull(out, "out must not be null");
        int images = imageCount(input);
        if (out.length < images * classes) {
            throw new IllegalArgumentException("out has room for " + out.length + " floats, " + images + " images of "
                    + classes + " classes need " + images * classes);
        }
        enter();
        try {
            int capacity = config.batchCapacity();
            for (int from = 0; from < images; from += capacity) {
                int count = Math.min(capacity, images - from);
                inputCopy.copy(input, from, count, session.input());
                copyLogits(session.run(count), count, out, from * classes, from);
            }
            return images;
        } finally {
            caller.exit();
        }
    }

    /**
     * Shorthand for {@link #logits(ImageTensor)} of {@link ImageTensor#nchw(float[])}.
     *
     * @param nchw N x 3 x crop x crop floats
     * @return {@code N x classes} floats, image-major
     */
    public float[] logits(float[] nchw) {
        return logits(ImageTensor.nchw(nchw));
    }

    /**
     * Shorthand for {@link #logits(ImageTensor, float[])} of {@link ImageTensor#nchw(float[])}.
     *
     * @param nchw N x 3 x crop x crop floats
     * @param out  room for at least {@code N x classes} floats
     * @return N, the number of images
     */
    public int logits(float[] nchw, float[] out) {
        return logits(ImageTensor.nchw(nchw), out);
    }

    /**
     * The stride-8, -16 and -32 backbone outputs of preprocessed images (for detection necks), in the
     * input's layout, every image of the input in each.
     *
     * @param input N images of the crop size
     * @return the three feature maps, stride 8 first
     */
    public List<FeatureMap> features(ImageTensor input) {
        int images = imageCount(input);
        enter();
        try {
            int capacity = config.batchCapacity();
            List<dev.ghostnet.engine.runtime.FeatureMap> maps = session.features();
            float[][] values = new float[maps.size()][];
            for (int from = 0; from < images; from += capacity) {
                int count = Math.min(capacity, images - from);
                inputCopy.copy(input, from, count, session.input());
                session.run(count);
                for (int m = 0; m < maps.size(); m++) {
                    Tensor t = maps.get(m).tensor();
                    long perImage = (long) t.height() * t.width() * t.channels();
                    if (values[m] == null) {
                        values[m] = new float[Math.toIntExact(perImage * images)];
                    }
                    copyOut(t, count, input.layout(), values[m], (int) (from * perImage));
                }
            }
            List<FeatureMap> result = new ArrayList<>(maps.size());
            for (int m = 0; m < maps.size(); m++) {
                dev.ghostnet.engine.runtime.FeatureMap f = maps.get(m);
                Tensor t = f.tensor();
                result.add(new FeatureMap(f.stride(), f.stage(), images, t.height(), t.width(), t.channels(),
                        input.layout(), values[m]));
            }
            return result;
        } finally {
            caller.exit();
        }
    }

    private RgbImage decode(Path file) throws ImageReadException {
        try {
            return decoder.decode(file);
        } catch (ImageException e) {
            throw new ImageReadException(e.getMessage(), e);
        }
    }

    private RgbImage decode(byte[] data, String name) throws ImageReadException {
        try {
            return decoder.decode(data, name);
        } catch (ImageException e) {
            throw new ImageReadException(e.getMessage(), e);
        }
    }

    private Classification classifyDecoded(RgbImage image, String source, int topK) {
        preprocessor.toTensor(image, session.input(), 0);
        copyLogits(session.run(1), 1, logits, 0, 0);
        return new Classification(source, Predictions.top(logits, 0, classes, topK, model::label, source));
    }

    /** Runs the images gathered in the input slots and puts their results into the nulls of {@code results}. */
    private void runChunk(List<String> sources, List<ImageResult> results, int topK) {
        int count = sources.size();
        if (count == 0) {
            return;
        }
        copyLogits(session.run(count), count, logits, 0, 0);
        int slot = 0;
        for (int r = 0; r < results.size() && slot < count; r++) {
            if (results.get(r) == null) {
                String source = sources.get(slot);
                results.set(r, new ImageResult.Classified(new Classification(source,
                        Predictions.top(logits, slot * classes, classes, topK, model::label, source))));
                slot++;
            }
        }
        sources.clear();
    }

    /** Copies the logits of the first {@code count} images and refuses non-finite ones (broken weights). */
    private void copyLogits(Tensor tensor, int count, float[] out, int offset, int firstImage) {
        MemorySegment segment = tensor.segment();
        for (int i = 0; i < count; i++) {
            int at = offset + i * classes;
            MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, tensor.byteOffset(i, 0, 0, 0), out, at, classes);
            for (int k = 0; k < classes; k++) {
                if (!Float.isFinite(out[at + k])) {
                    throw new IllegalStateException("logit " + k + " of image " + (firstImage + i) + " is " + out[at + k]
                            + " from finite input: the model's weights are broken");
                }
            }
        }
    }

    /** Copies the first {@code count} images of an NHWC tensor into {@code out} in {@code layout} order. */
    private static void copyOut(Tensor t, int count, Layout layout, float[] out, int offset) {
        int h = t.height();
        int w = t.width();
        int c = t.channels();
        MemorySegment segment = t.segment();
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    long at = t.byteOffset(i, y, x, 0);
                    if (layout == Layout.NHWC) {
                        MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, at, out,
                                offset + ((i * h + y) * w + x) * c, c);
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            out[offset + ((i * c + ch) * h + y) * w + x] =
                                    segment.get(ValueLayout.JAVA_FLOAT, at + (long) ch * Float.BYTES);
                        }
                    }
                }
            }
        }
    }

    private int imageCount(ImageTensor input) {
        Objects.requireNonNull(input, "input must not be null");
        long perImage = 3L * height * width;
        long floats = input.floatCount();
        if (floats == 0 || floats % perImage != 0) {
            String shape = input.layout() == Layout.NCHW ? "N x 3 x " + height + " x " + width
                    : "N x " + height + " x " + width + " x 3";
            throw new IllegalArgumentException("expected " + input.layout() + " input of " + shape + " floats (N >= 1, a"
                    + " multiple of " + perImage + "), got " + floats);
        }
        return Math.toIntExact(floats / perImage);
    }

    private static void checkTopK(int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
    }

    /** Images are cropped square to the preprocessing crop: a session planned for another size cannot run them. */
    private void checkImageInput() {
        int crop = config.preprocessing().crop();
        if (height != crop || width != crop) {
            throw new IllegalStateException("this session runs " + height + "x" + width + " tensors, but images are"
                    + " preprocessed to " + crop + "x" + crop + ": classify images with a session whose input size is"
                    + " the crop");
        }
    }

    /** Throws {@link IllegalStateException} once the session or its model is closed. */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("GhostNet session is closed");
        }
        model.checkOpen();
    }

    /** Claims the session for this call; the caller must {@code caller.exit()} in a finally. */
    private void enter() {
        checkOpen();
        caller.enter();
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

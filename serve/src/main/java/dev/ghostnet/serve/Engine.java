package dev.ghostnet.serve;

import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.Preprocessing;
import dev.ghostnet.engine.image.ImageDecoder;
import dev.ghostnet.engine.image.ImageException;
import dev.ghostnet.engine.image.Interpolation;
import dev.ghostnet.engine.image.PreprocessConfig;
import dev.ghostnet.engine.image.Preprocessor;

import java.io.IOException;

/**
 * The server's only door into the engine: loads the model, turns encoded images into network input, and
 * opens per-worker {@link Runner}s. Nothing else in this module imports the engine, so porting the server
 * to another engine API touches this class alone.
 *
 * <p>Thread safety: the model, the decoder and the preprocessor are immutable and shared by all request
 * threads; a {@link Runner} wraps one session and belongs to one worker thread.
 */
final class Engine implements AutoCloseable {
    private final GhostNet model;
    private final Preprocessing sessionPreprocessing;
    private final PreprocessConfig preprocess;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;

    private Engine(GhostNet model, Preprocessing preprocessing, long maxPixels) {
        this.model = model;
        this.sessionPreprocessing = preprocessing;
        this.preprocess = new PreprocessConfig(preprocessing.resizeShorter(), preprocessing.crop(),
                Interpolation.valueOf(preprocessing.interpolation().name()), preprocessing.mean(), preprocessing.std());
        this.preprocessor = new Preprocessor(preprocess);
        this.decoder = new ImageDecoder(maxPixels);
    }

    /**
     * The checkpoint {@code spec.weights()} (with the preprocessing of its config.json, if any), or seeded
     * untrained weights when it is null; {@code spec.bicubic()} switches the resize filter to timm's.
     *
     * @throws IOException the engine's checkpoint error, naming the file and the problem
     */
    static Engine open(ModelSpec spec) throws IOException {
        GhostNet model;
        try {
            model = spec.weights() == null
                    ? GhostNet.seeded(spec.seededWidth(), spec.seededClasses(), spec.seed())
                    : GhostNet.load(spec.weights());
        } catch (ModelLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
        Preprocessing preprocessing = spec.bicubic()
                ? model.preprocessing().withInterpolation(dev.ghostnet.Interpolation.BICUBIC) : model.preprocessing();
        return new Engine(model, preprocessing, spec.maxPixels());
    }

    /** Side of the square network input (224). */
    int inputSize() {
        return preprocessor.outputSize();
    }

    /** Floats of one preprocessed image: 3 x size x size. */
    int imageFloats() {
        return 3 * inputSize() * inputSize();
    }

    int numClasses() {
        return model.numClasses();
    }

    String label(int index) {
        return model.label(index);
    }

    boolean untrained() {
        return model.isUntrained();
    }

    String describe() {
        return model + ", preprocessing " + preprocess;
    }

    /**
     * Decodes a PNG or JPEG and preprocesses it into one NCHW image.
     *
     * @throws ApiException naming the problem (not an image, corrupt, too many pixels ...)
     */
    float[] preprocess(byte[] encoded, String what) throws ApiException {
        try {
            return preprocessor.toNchw(decoder.decode(encoded, "<upload>"));
        } catch (ImageException e) {
            throw ApiException.badRequest(what + " is not a readable PNG or JPEG image: " + e.getMessage());
        }
    }

    /** A session of {@code threads} threads holding buffers for {@code batchCapacity} images. */
    Runner newRunner(int threads, int batchCapacity) {
        return new Runner(model.newSession(model.sessionDefaults()
                .withThreads(threads)
                .withBatchCapacity(batchCapacity)
                .withPreprocessing(sessionPreprocessing)));
    }

    @Override
    public void close() {
        model.close();
    }

    /** One worker's session: not thread-safe. */
    static final class Runner implements BatchRunner {
        private final GhostNetSession session;

        private Runner(GhostNetSession session) {
            this.session = session;
        }

        @Override
        public float[] logits(float[] nchw) {
            return session.logits(nchw);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}

package dev.ghostnet.serve;

import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.SessionConfig;
import dev.ghostnet.engine.image.ImageDecoder;
import dev.ghostnet.engine.image.ImageException;
import dev.ghostnet.engine.image.Interpolation;
import dev.ghostnet.engine.image.PreprocessConfig;
import dev.ghostnet.engine.image.Preprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private final PreprocessConfig preprocess;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;

    private Engine(GhostNet model, PreprocessConfig preprocess, long maxPixels) {
        this.model = model;
        this.preprocess = preprocess;
        this.preprocessor = new Preprocessor(preprocess);
        this.decoder = new ImageDecoder(maxPixels);
    }

    /**
     * The checkpoint {@code spec.weights()}, or seeded untrained weights when it is null.
     *
     * @throws IOException the engine's checkpoint error, naming the file and the problem
     */
    static Engine open(ModelSpec spec) throws IOException {
        GhostNet model = spec.weights() == null
                ? GhostNet.seeded(spec.seededWidth(), spec.seededClasses(), spec.seed())
                : GhostNet.load(spec.weights());
        Interpolation filter = spec.bicubic() ? Interpolation.BICUBIC : Interpolation.BILINEAR;
        return new Engine(model, PreprocessConfig.imagenet(filter), spec.maxPixels());
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
        // The engine's decoder reads files only; a private temporary file keeps its PIL-equivalent
        // decoding (rather than a second ImageIO path here) until it reads bytes directly.
        Path file = null;
        try {
            file = Files.createTempFile("ghostnet-serve-", ".img");
            Files.write(file, encoded);
            return preprocessor.toNchw(decoder.decode(file));
        } catch (ImageException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            throw ApiException.badRequest(what + " is not a readable PNG or JPEG image: "
                    + (file == null ? message : message.replace(file.toString(), "<upload>")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the upload in a temporary file", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless; the request's outcome does not depend on it.
                }
            }
        }
    }

    /** A session of {@code threads} threads holding buffers for {@code batchCapacity} images. */
    Runner newRunner(int threads, int batchCapacity) {
        return new Runner(model.newSession(SessionConfig.defaults()
                .withThreads(threads)
                .withBatchCapacity(batchCapacity)
                .withPreprocess(preprocess)));
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

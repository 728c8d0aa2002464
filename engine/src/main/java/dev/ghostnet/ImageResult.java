package dev.ghostnet;

/**
 * What a batch call gives for one image: its classification, or why it could not be classified. The
 * other images of the batch are classified either way.
 *
 * <pre>{@code
 * for (ImageResult r : model.classify(files, 5)) {
 *     switch (r) {
 *         case ImageResult.Classified c -> System.out.println(c.source() + ": " + c.classification().best());
 *         case ImageResult.Failed f -> System.err.println(f.error().getMessage());
 *     }
 * }
 * }</pre>
 */
public sealed interface ImageResult {
    /**
     * Where the image came from: the path as given.
     *
     * @return the source
     */
    String source();

    /**
     * The classification, or the error as an exception.
     *
     * @return the classification
     * @throws ImageReadException when this image could not be classified
     */
    Classification get() throws ImageReadException;

    /**
     * An image that was classified.
     *
     * @param classification its top classes; its source is this result's
     */
    record Classified(Classification classification) implements ImageResult {
        @Override
        public String source() {
            return classification.source();
        }

        @Override
        public Classification get() {
            return classification;
        }
    }

    /**
     * An image that could not be read.
     *
     * @param source where it came from
     * @param error  why, naming the image
     */
    record Failed(String source, ImageReadException error) implements ImageResult {
        @Override
        public Classification get() throws ImageReadException {
            throw error;
        }
    }
}

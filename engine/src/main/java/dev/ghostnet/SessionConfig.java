package dev.ghostnet;

/**
 * How a {@link GhostNetSession} runs: its threads, how many images it runs at once, how images are
 * preprocessed, and the input size the network is planned for: the preprocessing crop (224 for
 * ImageNet) unless set apart for preprocessed tensors of another size ({@link #withInputSize}).
 *
 * @param threads       threads one inference uses (the caller's plus {@code threads - 1} workers)
 * @param batchCapacity images run together at most; longer lists are run in chunks of this size. A
 *                      session holds activation buffers for this many images
 * @param preprocessing resize, crop and normalisation applied to images
 * @param inputHeight   rows of the network input; images need it to equal the crop
 * @param inputWidth    columns of the network input; images need it to equal the crop
 */
public record SessionConfig(int threads, int batchCapacity, Preprocessing preprocessing, int inputHeight,
                            int inputWidth) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a count or size is not positive or the preprocessing is null
     */
    public SessionConfig {
        if (inputHeight <= 0 || inputWidth <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + inputHeight + "x" + inputWidth);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (batchCapacity <= 0) {
            throw new IllegalArgumentException("batch capacity must be positive, got " + batchCapacity);
        }
        if (preprocessing == null) {
            throw new IllegalArgumentException("preprocessing must not be null");
        }
    }

    /**
     * A configuration whose input size is the preprocessing crop.
     *
     * @param threads       threads one inference uses
     * @param batchCapacity images run together at most
     * @param preprocessing resize, crop and normalisation applied to images
     */
    public SessionConfig(int threads, int batchCapacity, Preprocessing preprocessing) {
        this(threads, batchCapacity, preprocessing, cropOf(preprocessing), cropOf(preprocessing));
    }

    private static int cropOf(Preprocessing preprocessing) {
        if (preprocessing == null) {
            throw new IllegalArgumentException("preprocessing must not be null");
        }
        return preprocessing.crop();
    }

    /**
     * Every available core, one image at a time, torchvision's ImageNet transform.
     *
     * @return the default configuration
     */
    public static SessionConfig defaults() {
        return new SessionConfig(Runtime.getRuntime().availableProcessors(), 1, Preprocessing.imagenet());
    }

    /**
     * This configuration with another thread count.
     *
     * @param newThreads threads per inference, positive
     * @return the new configuration
     */
    public SessionConfig withThreads(int newThreads) {
        return new SessionConfig(newThreads, batchCapacity, preprocessing, inputHeight, inputWidth);
    }

    /**
     * This configuration with another batch capacity.
     *
     * @param newBatchCapacity images run together at most, positive
     * @return the new configuration
     */
    public SessionConfig withBatchCapacity(int newBatchCapacity) {
        return new SessionConfig(threads, newBatchCapacity, preprocessing, inputHeight, inputWidth);
    }

    /**
     * This configuration with other preprocessing; the input size becomes its crop.
     *
     * @param newPreprocessing the transform images go through
     * @return the new configuration
     */
    public SessionConfig withPreprocessing(Preprocessing newPreprocessing) {
        return new SessionConfig(threads, batchCapacity, newPreprocessing);
    }

    /**
     * This configuration for preprocessed tensors of another size (any size the network's five stride-2
     * layers accept, e.g. 193 x 255); image calls then throw, since images are cropped square.
     *
     * @param height rows of the input
     * @param width  columns of the input
     * @return the new configuration
     */
    public SessionConfig withInputSize(int height, int width) {
        return new SessionConfig(threads, batchCapacity, preprocessing, height, width);
    }

    /**
     * This configuration's transform with another resize filter; {@code BICUBIC} is timm's setting for GhostNet.
     *
     * @param interpolation the resize filter
     * @return the new configuration
     */
    public SessionConfig withInterpolation(Interpolation interpolation) {
        return withPreprocessing(preprocessing.withInterpolation(interpolation));
    }
}

package dev.ghostnet;

import dev.ghostnet.engine.image.Interpolation;
import dev.ghostnet.engine.image.PreprocessConfig;

/**
 * How a {@link GhostNetSession} runs: its threads, how many images it runs at once, and how images are
 * preprocessed. The network's input size is the preprocessing crop (224 for ImageNet).
 *
 * @param threads       threads one inference uses (the caller's plus {@code threads - 1} workers)
 * @param batchCapacity images run together at most; longer lists are classified in chunks of this size.
 *                      A session holds activation buffers for this many images
 * @param preprocess    resize, crop and normalisation applied to images (torchvision's evaluation transform)
 */
public record SessionConfig(int threads, int batchCapacity, PreprocessConfig preprocess) {
    public SessionConfig {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (batchCapacity <= 0) {
            throw new IllegalArgumentException("batch capacity must be positive, got " + batchCapacity);
        }
        if (preprocess == null) {
            throw new IllegalArgumentException("preprocess config must not be null");
        }
    }

    /**
     * Every available core, one image at a time, torchvision's ImageNet transform (resize 256 bilinear,
     * centre crop 224).
     */
    public static SessionConfig defaults() {
        return new SessionConfig(Runtime.getRuntime().availableProcessors(), 1, PreprocessConfig.imagenet());
    }

    public SessionConfig withThreads(int newThreads) {
        return new SessionConfig(newThreads, batchCapacity, preprocess);
    }

    public SessionConfig withBatchCapacity(int newBatchCapacity) {
        return new SessionConfig(threads, newBatchCapacity, preprocess);
    }

    public SessionConfig withPreprocess(PreprocessConfig newPreprocess) {
        return new SessionConfig(threads, batchCapacity, newPreprocess);
    }

    /** The ImageNet transform with another resize filter; {@code BICUBIC} is timm's setting for GhostNet. */
    public SessionConfig withInterpolation(Interpolation interpolation) {
        return withPreprocess(PreprocessConfig.imagenet(interpolation));
    }
}

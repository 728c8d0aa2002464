package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.Tensor;

/**
 * One kernel call of the execution plan, bound at plan time to its op and its tensors (views of the
 * session's buffers). {@link #run} computes images {@code [imageFrom, imageTo)}, piece {@code part} of
 * {@code parts}: steps split their pixels, rows or images evenly so pieces can run on different threads.
 */
interface Step {
    /**
     * Below this many multiply-adds a step runs on the caller alone: handing it out would cost more. With
     * pieces run by their owners first (see {@link WorkerPool}), 100,000 measured 0.95-0.99x the time of
     * 400,000 at batch 1 on two threads (same-JVM A/B), the 14x14 and 7x7 depthwise layers now split.
     */
    long PARALLEL_MIN_MACS = 100_000;

    /** The layer this step belongs to, e.g. {@code blocks.3.0.ghost1.primary}. */
    String name();

    /** What the step is, e.g. {@code pointwise 40->60 @28x28}, for profiles and the layer table. */
    String description();

    /** Multiply-adds per image, to decide whether splitting the step over threads pays off. */
    long macsPerImage();

    /**
     * Multiply-adds against weights per image, as papers and thop count them: convolutions and linear layers
     * only. Differs from {@link #macsPerImage} where a step also averages or scales (squeeze-excite, pooling).
     */
    default long weightMacsPerImage() {
        return macsPerImage();
    }

    /**
     * Trainable parameters of the layer as PyTorch counts them: a folded conv counts its BatchNorm's scale
     * and shift (2 per channel) where the engine holds one bias; running statistics are buffers, not parameters.
     */
    default long parameters() {
        return 0;
    }

    /** The tensor the step writes: a channel slice for a ghost half, the input itself for in-place steps. */
    Tensor output();

    void run(int imageFrom, int imageTo, int part, int parts);

    /** True when pieces are whole images: splitting a batch of one over threads gains nothing then. */
    default boolean splitsByImage() {
        return false;
    }

    /** Whether running {@code images} images pays for handing pieces to other threads. */
    default boolean worthSplitting(int images) {
        return macsPerImage() * images >= PARALLEL_MIN_MACS && (images > 1 || !splitsByImage());
    }

    /**
     * Start of piece {@code part} of images {@code [imageFrom, imageTo)} counted in units of
     * {@code unitsPerImage} (rows, pixels or 1 for whole images), the units split into {@code parts}
     * near-equal pieces; {@code part == parts} gives the end.
     */
    static long unitStart(int imageFrom, int imageTo, long unitsPerImage, int part, int parts) {
        return pieceStart(imageFrom * unitsPerImage, imageTo * unitsPerImage, part, parts);
    }

    /** Start of piece {@code part} when {@code [from, to)} is split into {@code parts} near-equal pieces. */
    static long pieceStart(long from, long to, int part, int parts) {
        return from + (to - from) * part / parts;
    }
}

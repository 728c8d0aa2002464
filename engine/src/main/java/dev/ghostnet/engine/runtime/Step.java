package dev.ghostnet.engine.runtime;

/**
 * One kernel call of the execution plan, bound at plan time to its op and its tensors (views of the
 * session's buffers). {@link #run} computes images {@code [imageFrom, imageTo)}, piece {@code part} of
 * {@code parts}: steps split their pixels, rows or images evenly so pieces can run on different threads.
 */
interface Step {
    /** The layer this step belongs to, e.g. {@code blocks.3.0.ghost1.primary}. */
    String name();

    /** What the step is, e.g. {@code pointwise 40->60 @28x28}, for profiles and the layer table. */
    String description();

    /** Multiply-adds per image, to decide whether splitting the step over threads pays off. */
    long macsPerImage();

    void run(int imageFrom, int imageTo, int part, int parts);

    /** True when pieces are whole images: splitting a batch of one over threads gains nothing then. */
    default boolean splitsByImage() {
        return false;
    }

    /** Start of piece {@code part} when {@code [from, to)} is split into {@code parts} near-equal pieces. */
    static long pieceStart(long from, long to, int part, int parts) {
        return from + (to - from) * part / parts;
    }
}

package dev.ghostnet.serve;

/** Runs one batch for a worker: the worker's own session, never shared between threads. */
interface BatchRunner extends AutoCloseable {
    /** Logits of dense NCHW images: {@code images x classes} floats, image-major. */
    float[] logits(float[] nchw);

    @Override
    void close();
}

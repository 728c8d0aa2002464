package dev.ghostnet.bench.compare;

/**
 * An inference engine under comparison, prepared for one {@link Row} with its input already set:
 * {@link #run()} is exactly the work that is timed.
 */
interface BenchEngine extends AutoCloseable {
    String name();

    /** One inference of the whole batch. */
    void run() throws Exception;

    /** Logits of the last run, (batch, classes) row-major; read outside the timed region. */
    float[] logits() throws Exception;

    @Override
    void close() throws Exception;
}

package dev.ghostnet.engine.runtime;

/**
 * What a session is planned for: batch size, input height and width (any size the network's five
 * stride-2 layers accept, at least 1x1), the number of threads it uses, and whether steps that can run
 * band by band of rows do so in fused groups (see {@code FusedGroup}; the results are the same bit for bit).
 */
public record SessionOptions(int batch, int height, int width, int threads, boolean fusion) {
    public static final int IMAGENET_SIZE = 224;

    public SessionOptions {
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        if ((long) batch * height * width * 48 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " of " + height + "x" + width
                    + " images is too large for one session");
        }
    }

    /** Options with fused groups. */
    public SessionOptions(int batch, int height, int width, int threads) {
        this(batch, height, width, threads, true);
    }

    /** These options with fused groups on or off. */
    public SessionOptions withFusion(boolean on) {
        return new SessionOptions(batch, height, width, threads, on);
    }

    /** Batch 1 at 224x224 on every available core. */
    public static SessionOptions defaults() {
        return new SessionOptions(1, IMAGENET_SIZE, IMAGENET_SIZE, Runtime.getRuntime().availableProcessors());
    }
}

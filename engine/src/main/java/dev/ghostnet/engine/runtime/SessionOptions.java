package dev.ghostnet.engine.runtime;

/**
 * What a session is planned for: batch size, input height and width (any size the network's five
 * stride-2 layers accept, at least 1x1), and the number of threads it uses.
 */
public record SessionOptions(int batch, int height, int width, int threads) {
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

    /** Batch 1 at 224x224 on every available core. */
    public static SessionOptions defaults() {
        return new SessionOptions(1, IMAGENET_SIZE, IMAGENET_SIZE, Runtime.getRuntime().availableProcessors());
    }
}

package dev.ghostnet.serve;

/**
 * How the server listens, batches and limits requests.
 *
 * @param host          address to bind; 127.0.0.1 unless the operator says otherwise
 * @param port          TCP port; 0 picks a free one (tests)
 * @param modelName     the name clients use in {@code /v2/models/{name}}
 * @param workers       worker threads, each owning one session
 * @param threads       threads each session uses for one batch
 * @param maxBatch      images run together at most
 * @param maxDelayMs    how long a worker waits for a batch to fill after its first request
 * @param queueCapacity requests waiting at most; beyond it requests are refused with 503
 * @param deadlineMs    a request not answered within this time gets 504
 * @param maxImageBytes largest encoded image accepted (413 beyond)
 * @param maxJsonBytes  largest JSON body accepted by the inference protocol (413 beyond)
 * @param drainMs       on shutdown, how long in-flight requests may take to finish
 */
record ServerConfig(String host, int port, String modelName, int workers, int threads, int maxBatch,
                    int maxDelayMs, int queueCapacity, int deadlineMs, int maxImageBytes, int maxJsonBytes,
                    int drainMs) {
    ServerConfig {
        positive("workers", workers);
        positive("threads", threads);
        positive("max batch", maxBatch);
        positive("queue", queueCapacity);
        positive("deadline", deadlineMs);
        positive("image size limit", maxImageBytes);
        positive("JSON size limit", maxJsonBytes);
        if (maxDelayMs < 0 || drainMs < 0 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("max delay and drain time must not be negative and the port must be"
                    + " 0..65535, got " + maxDelayMs + ", " + drainMs + ", " + port);
        }
        if (modelName == null || !modelName.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("model name must be letters, digits, '_', '.' or '-', got " + modelName);
        }
    }

    /** Loopback, one worker with every core, batches of 8 within 5 ms, 16 queued, 10 s deadline. */
    static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, "ghostnet", 1, Runtime.getRuntime().availableProcessors(), 8, 5,
                16, 10_000, 8 << 20, 64 << 20, 10_000);
    }

    ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, modelName, workers, threads, maxBatch, maxDelayMs, queueCapacity,
                deadlineMs, maxImageBytes, maxJsonBytes, drainMs);
    }

    ServerConfig withBatching(int newMaxBatch, int newMaxDelayMs, int newQueueCapacity) {
        return new ServerConfig(host, port, modelName, workers, threads, newMaxBatch, newMaxDelayMs, newQueueCapacity,
                deadlineMs, maxImageBytes, maxJsonBytes, drainMs);
    }

    ServerConfig withWorkers(int newWorkers, int newThreads) {
        return new ServerConfig(host, port, modelName, newWorkers, newThreads, maxBatch, maxDelayMs, queueCapacity,
                deadlineMs, maxImageBytes, maxJsonBytes, drainMs);
    }

    ServerConfig withLimits(int newDeadlineMs, int newMaxImageBytes, int newMaxJsonBytes) {
        return new ServerConfig(host, port, modelName, workers, threads, maxBatch, maxDelayMs, queueCapacity,
                newDeadlineMs, newMaxImageBytes, newMaxJsonBytes, drainMs);
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}

package dev.ghostnet;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run by {@link PublicAllocationTest} in a JVM of its own: the heap bytes one public call allocates in
 * steady state, over the caller and the session's worker threads, printed as {@code bytes-per-call N}.
 * Modes: {@code session-into} ({@code GhostNetSession.logits(float[], float[])}), {@code session-array}
 * ({@code GhostNetSession.logits(float[])}, a new result array each call), {@code model-into}
 * ({@code GhostNet.logits(float[], float[])} on its pool), {@code classify-path}
 * ({@code GhostNet.classify(Path, 5)}, decoding included).
 */
public final class PublicAllocationProbe {
    static final int MEASURED_CALLS = 50;
    static final int MAX_WARMUP_BATCHES = 30;

    private PublicAllocationProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        long settled = Long.parseLong(args[2]);
        Path image = args.length > 3 ? Path.of(args[3]) : null;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SessionConfig config = SessionConfig.defaults().withThreads(threads);
        try (GhostNet model = GhostNet.seeded(1.0, 1000, 1, new PoolConfig(1, config));
             GhostNetSession session = model.newSession(config)) {
            float[] input = new float[3 * 224 * 224];
            Arrays.fill(input, 0.5f);
            float[] out = new float[1000];
            ThrowingRunnable call = switch (mode) {
                case "session-into" -> () -> session.logits(input, out);
                case "session-array" -> () -> session.logits(input);
                case "model-into" -> () -> model.logits(input, out);
                case "classify-path" -> () -> model.classify(image, 5);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            call.run(); // creates the pooled session and its workers before the threads are listed
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith("ghostnet-worker"))
                    .mapToLong(Thread::threadId)
                    .toArray();
            for (int batch = 0; batch < MAX_WARMUP_BATCHES; batch++) {
                if (allocatedOver(call, mx, ids) <= settled * MEASURED_CALLS) {
                    break;
                }
            }
            System.out.println("bytes-per-call " + allocatedOver(call, mx, ids) / MEASURED_CALLS);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long allocatedOver(ThrowingRunnable call, com.sun.management.ThreadMXBean mx, long[] ids)
            throws Exception {
        long before = Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum();
        for (int i = 0; i < MEASURED_CALLS; i++) {
            call.run();
        }
        return Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum() - before;
    }
}

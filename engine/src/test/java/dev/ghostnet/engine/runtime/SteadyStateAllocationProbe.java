package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Run by {@link SteadyStateAllocationTest} in a JVM of its own: one model and session configuration, warmed
 * up until a batch of runs stops allocating (or a limit), then the heap bytes allocated per inference over
 * the caller and the session's worker threads, printed as {@code bytes-per-run N}.
 */
public final class SteadyStateAllocationProbe {
    static final int MEASURED_RUNS = 50;
    /** C2 compiles the kernels in the background; on a loaded machine that takes a while. */
    static final int MAX_WARMUP_BATCHES = 30;

    private SteadyStateAllocationProbe() {}

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        long settledBytesPerRun = Long.parseLong(args[2]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, KernelProvider.get());
             InferenceSession session = new InferenceSession(model, new SessionOptions(batch, 224, 224, threads))) {
            session.input().fill(0.5f);
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith("ghostnet-worker"))
                    .mapToLong(Thread::threadId)
                    .toArray();
            for (int batchNo = 0; batchNo < MAX_WARMUP_BATCHES; batchNo++) {
                if (allocatedOver(session, mx, ids) <= settledBytesPerRun * MEASURED_RUNS) {
                    break;
                }
            }
            System.out.println("bytes-per-run " + allocatedOver(session, mx, ids) / MEASURED_RUNS);
        }
    }

    private static long allocatedOver(InferenceSession session, com.sun.management.ThreadMXBean mx, long[] ids) {
        long before = Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum();
        for (int i = 0; i < MEASURED_RUNS; i++) {
            session.run();
        }
        return Arrays.stream(mx.getThreadAllocatedBytes(ids)).sum() - before;
    }
}

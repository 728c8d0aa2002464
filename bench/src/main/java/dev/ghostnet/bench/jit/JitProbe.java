package dev.ghostnet.bench.jit;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.engine.runtime.Warmup;
import dev.ghostnet.kernels.KernelProvider;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * One fresh JVM's view of the JIT: a seeded GhostNet 1.0 at 224x224, batch 1, run {@code RUNS} times from
 * the first inference on. Prints one line per inference, {@code run I NANOS}; the heap bytes allocated per
 * inference by all of the JVM's threads over the last {@value #ALLOCATION_WINDOW} runs, {@code bytes-per-run N};
 * and what came before the first inference, {@code setup-ms LOAD WARMUP}: seeded model generation and
 * packing, then the engine's {@link Warmup}, which the public API runs when a session is created.
 * {@link JitCheck} and {@link WarmupCurve} start it and read those lines.
 *
 * <p>Usage: {@code JitProbe THREADS RUNS}. {@code -Dghostnet.warmup=false} on this JVM measures without the warm-up.
 */
public final class JitProbe {
    /** The allocation window: the last runs, when every kernel has had time to reach C2. */
    static final int ALLOCATION_WINDOW = 50;

    private JitProbe() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: JitProbe THREADS RUNS");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        if (threads < 1 || runs < ALLOCATION_WINDOW) {
            System.err.println("JitProbe: THREADS must be >= 1 and RUNS >= " + ALLOCATION_WINDOW);
            System.exit(2);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] nanos = new long[runs];
        long allocated;
        long start = System.nanoTime();
        long loaded;
        long warmed;
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, KernelProvider.get())) {
            loaded = System.nanoTime();
            Warmup.ensure(model, threads);
            warmed = System.nanoTime();
            try (InferenceSession session = new InferenceSession(model, new SessionOptions(1, 224, 224, threads))) {
                session.input().fill(0.5f);
                long before = 0;
                for (int i = 0; i < runs; i++) {
                    if (i == runs - ALLOCATION_WINDOW) {
                        before = allThreadsAllocated(mx);
                    }
                    long t = System.nanoTime();
                    session.run();
                    nanos[i] = System.nanoTime() - t;
                }
                allocated = allThreadsAllocated(mx) - before;
            }
        }
        StringBuilder out = new StringBuilder(runs * 16);
        for (int i = 0; i < runs; i++) {
            out.append("run ").append(i + 1).append(' ').append(nanos[i]).append('\n');
        }
        out.append("bytes-per-run ").append(allocated / ALLOCATION_WINDOW).append('\n');
        out.append("setup-ms ").append((loaded - start) / 1_000_000).append(' ').append((warmed - loaded) / 1_000_000)
                .append('\n');
        System.out.print(out);
        System.out.flush();
    }

    /** Heap bytes allocated so far by every live thread (the caller and the session's workers among them). */
    private static long allThreadsAllocated(com.sun.management.ThreadMXBean mx) {
        return Arrays.stream(mx.getThreadAllocatedBytes(mx.getAllThreadIds())).filter(b -> b > 0).sum();
    }
}

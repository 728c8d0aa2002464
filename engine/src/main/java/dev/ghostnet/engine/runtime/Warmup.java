package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Tensor;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets the kernels JIT-compiled before the user's first inference, so a fresh JVM runs at its steady-state
 * speed within a few inferences instead of after a hundred: runs the model on a synthetic image at a small
 * size ({@value #SIZE}x{@value #SIZE}, a fifth of the work of 224x224) until the JIT goes quiet, once per JVM
 * and kernel family (compiled code is shared by every model and session of that family).
 *
 * <p>Why a small size works: the code paths a kernel takes depend on channel counts (vector blocks and
 * tails), which the size does not change, and on the pixel-tile remainders of a row, which every map still
 * has ({@value #SIZE} gives maps of 48, 24, 12, 6 and 3 pixels a side). Why small:
 * the kernels' per-layer entry points are called ~50 times per inference and need hundreds of calls at
 * tier 3 before C2 takes them, so cheap runs get there sooner. Why "until the JIT goes quiet": the kernels
 * reach C2 only after their C1 profiles fill and the C2 queue drains, which takes seconds of wall time on
 * a busy machine and cannot be counted in inferences.
 *
 * <p>Skip it with the system property {@value #PROPERTY}{@code =false} (a one-shot command that runs a
 * single inference gains nothing from it).
 */
public final class Warmup {
    public static final String PROPERTY = "ghostnet.warmup";
    static final int SIZE = 96;
    /** At least this many runs: below that the per-layer methods have not been called often enough for C2. */
    static final int MIN_RUNS = 40;
    /** Quiet means no compilation finished for this long (and for {@link #QUIET_RUNS} runs). */
    static final long QUIET_NANOS = 150_000_000;
    static final int QUIET_RUNS = 5;
    /** Never longer than this, whatever the JIT does (a loaded machine may compile for longer). */
    static final long BUDGET_NANOS = 4_000_000_000L;

    /** What a warm-up did, for logs and benchmarks. */
    public record Report(int runs, long nanos, boolean quiet) {}

    private static final Set<Kernels> WARMED = ConcurrentHashMap.newKeySet();

    private Warmup() {}

    /** False when the system property {@value #PROPERTY} is {@code false}. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * Warms up {@code model}'s kernel family with {@code threads} threads, unless that family was warmed
     * up in this JVM already or warm-up is disabled. Returns what it did, or null when it did nothing.
     */
    public static Report ensure(GhostNetModel model, int threads) {
        if (!enabled() || !WARMED.add(model.kernels())) {
            return null;
        }
        return run(model, threads);
    }

    /** Runs the warm-up now, whether or not it ran before; the model is only read. */
    public static Report run(GhostNetModel model, int threads) {
        return run(model, threads, BUDGET_NANOS);
    }

    /** {@link #run(GhostNetModel, int)} with another budget (tests); at least one run whatever the budget. */
    static Report run(GhostNetModel model, int threads, long budgetNanos) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int runs = 0;
        try (InferenceSession session = new InferenceSession(model, new SessionOptions(1, SIZE, SIZE, threads))) {
            syntheticImage(session);
            long lastCompileMs = timed ? jit.getTotalCompilationTime() : -1;
            long quietSince = System.nanoTime();
            int quietRuns = 0;
            while (true) {
                session.run();
                runs++;
                long now = System.nanoTime();
                if (timed) {
                    long compileMs = jit.getTotalCompilationTime();
                    if (compileMs != lastCompileMs) {
                        lastCompileMs = compileMs;
                        quietSince = now;
                        quietRuns = 0;
                    } else {
                        quietRuns++;
                    }
                }
                boolean quiet = timed && quietRuns >= QUIET_RUNS && now - quietSince >= QUIET_NANOS;
                if (runs >= MIN_RUNS && (quiet || !timed) || now - start >= budgetNanos) {
                    return new Report(runs, now - start, quiet);
                }
            }
        }
    }

    /**
     * A smooth image with both signs in every channel, like a normalised photograph: activations then take
     * both sides of every ReLU and clamp, so no branch the JIT profiles is left untaken.
     */
    private static void syntheticImage(InferenceSession session) {
        Tensor input = session.input();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int c = 0; c < 3; c++) {
                    input.set(0, y, x, c, (float) Math.sin(0.11 * x + 0.07 * y + 2.1 * c) * 1.8f);
                }
            }
        }
    }
}

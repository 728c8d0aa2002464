package dev.ghostnet.bench.jit;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.engine.runtime.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first-inference latency curve of a fresh JVM with and without the engine's {@link Warmup}: K JVMs each
 * way, alternating, each running {@link JitProbe}; per inference index the median over the JVMs, then
 * the warm-up target (median of inferences 11-30 within 1.25x of the steady-state median) per JVM.
 *
 * <p>Usage: {@code WarmupCurve K [THREADS] [RUNS]} (defaults: 1 thread, 300 inferences).
 */
public final class WarmupCurve {
    private static final int[] SHOWN = {1, 2, 3, 5, 10, 11, 15, 20, 25, 30, 50, 100, 200};

    private WarmupCurve() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: WarmupCurve K [THREADS] [RUNS]");
            System.exit(2);
        }
        int jvms = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        List<ProbeRun> with = new ArrayList<>();
        List<ProbeRun> without = new ArrayList<>();
        for (int j = 0; j < jvms; j++) {
            with.add(ProbeRun.start(threads, runs, List.of()));
            without.add(ProbeRun.start(threads, runs, List.of("-D" + Warmup.PROPERTY + "=false")));
        }
        System.out.printf(Locale.ROOT, "warm-up curve: %d fresh JVMs each way, %d thread(s), batch 1, 224x224;"
                + " ms per inference, median over the JVMs%n", jvms, threads);
        System.out.printf(Locale.ROOT, "%-12s", "inference");
        for (int i : SHOWN) {
            if (i <= runs) System.out.printf(Locale.ROOT, "%8d", i);
        }
        System.out.printf(Locale.ROOT, "%9s%n", "steady");
        print("warm-up", with, runs);
        print("no warm-up", without, runs);
        for (String name : List.of("warm-up", "no warm-up")) {
            List<ProbeRun> fleet = name.equals("warm-up") ? with : without;
            StringBuilder ratios = new StringBuilder();
            int met = 0;
            for (ProbeRun r : fleet) {
                double ratio = r.median(11, 30) / r.steadyMedian();
                met += ratio <= 1.25 ? 1 : 0;
                ratios.append(String.format(Locale.ROOT, " %.2f", ratio));
            }
            double load = Stats.of(fleet.stream().mapToDouble(ProbeRun::loadMs).toArray()).median();
            double warm = Stats.of(fleet.stream().mapToDouble(ProbeRun::warmupMs).toArray()).median();
            System.out.printf(Locale.ROOT, "%-12s median(11-30)/steady per JVM:%s; within 1.25x: %d of %d;"
                    + " load %.0f ms, warm-up %.0f ms (medians)%n", name, ratios, met, fleet.size(), load, warm);
        }
    }

    private static void print(String name, List<ProbeRun> fleet, int runs) {
        System.out.printf(Locale.ROOT, "%-12s", name);
        for (int i : SHOWN) {
            if (i <= runs) {
                System.out.printf(Locale.ROOT, "%8.1f", Stats.of(fleet.stream().mapToDouble(r -> r.millis()[i - 1]).toArray())
                        .median());
            }
        }
        System.out.printf(Locale.ROOT, "%9.2f%n", Stats.of(fleet.stream().mapToDouble(ProbeRun::steadyMedian).toArray())
                .median());
    }
}

package dev.ghostnet.bench.jit;

import dev.ghostnet.bench.stats.Stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code scripts/jit-check N}: starts N fresh JVMs one after the other, each running {@link JitProbe}, and
 * reports each one's steady-state median, its median of inferences 11-30 (the warm-up target) and its heap
 * bytes per inference. A JVM whose JIT left a kernel in C1 code (vectors boxed) shows up as slow and
 * allocating; the check fails when any JVM is slower than {@value #SLOW_FACTOR}x the fleet median or
 * allocates more than {@value #MAX_BYTES_PER_RUN} bytes per inference. A slow JVM's line also gives its ratio to
 * the median of its neighbours in time (up to {@value #NEIGHBOURS} JVMs before and after it): on a shared host
 * whose speed drifts over the minutes a check takes, a JVM slow only against the fleet but not against its
 * neighbours ran in a slow stretch of the host, while one slow against both left code unoptimised. The
 * neighbours are a diagnosis only; the check fails either way.
 *
 * <p>Usage: {@code JitCheck N [--threads T] [--runs R] [--logs DIR] [-- JVM options...]}. With {@code --logs},
 * every JVM writes its JIT compilation log ({@code -Xlog:jit+compilation=debug}, the lines
 * {@code -XX:+PrintCompilation} prints) to {@code DIR/jvm-<i>.log}, so a bad JVM's log can be read after.
 */
public final class JitCheck {
    static final double SLOW_FACTOR = 1.2;
    static final long MAX_BYTES_PER_RUN = 1024;
    static final int NEIGHBOURS = 3;

    private JitCheck() {}

    public static void main(String[] args) throws Exception {
        int jvms = -1;
        int threads = 1;
        int runs = 300;
        Path logs = null;
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--" -> {
                    jvmOptions.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> jvms = Integer.parseInt(args[i]);
            }
        }
        if (jvms < 1 || threads < 1 || runs < Math.max(30, JitProbe.ALLOCATION_WINDOW)) {
            System.err.println("usage: jit-check N [--threads T] [--runs R >= 50] [--logs DIR] [-- JVM options...]");
            System.exit(2);
        }
        if (logs != null) {
            Files.createDirectories(logs);
        }
        System.out.printf(Locale.ROOT, "jit-check: %d fresh JVMs, %d thread(s), batch 1, 224x224, %d inferences each%s%n",
                jvms, threads, runs, jvmOptions.isEmpty() ? "" : ", JVM options " + String.join(" ", jvmOptions));
        System.out.println("steady = median of the last " + JitProbe.ALLOCATION_WINDOW
                + " inferences; 11-30 = median of inferences 11-30; bytes = heap bytes per inference, all threads");
        System.out.printf(Locale.ROOT, "%4s %10s %10s %8s %10s %8s %9s%n", "jvm", "steady ms", "11-30 ms", "ratio", "bytes",
                "load ms", "warmup ms");
        List<ProbeRun> fleet = new ArrayList<>();
        for (int j = 1; j <= jvms; j++) {
            List<String> options = new ArrayList<>(jvmOptions);
            if (logs != null) {
                options.add("-Xlog:jit+compilation=debug:file=" + logs.resolve("jvm-" + j + ".log") + ":uptime");
            }
            ProbeRun run = ProbeRun.start(threads, runs, options);
            fleet.add(run);
            System.out.printf(Locale.ROOT, "%4d %10.2f %10.2f %7.2fx %10d %8d %9d%n", j, run.steadyMedian(),
                    run.median(11, 30), run.median(11, 30) / run.steadyMedian(), run.bytesPerRun(), run.loadMs(),
                    run.warmupMs());
        }
        double[] steady = fleet.stream().mapToDouble(ProbeRun::steadyMedian).sorted().toArray();
        double fleetMedian = Stats.percentile(steady, 50);
        int slow = 0;
        int allocating = 0;
        int cold = 0;
        for (int j = 0; j < fleet.size(); j++) {
            ProbeRun run = fleet.get(j);
            boolean isSlow = run.steadyMedian() > SLOW_FACTOR * fleetMedian;
            boolean isAllocating = run.bytesPerRun() > MAX_BYTES_PER_RUN;
            if (isSlow || isAllocating) {
                System.out.printf(Locale.ROOT, "jvm %d: %s%s%n", j + 1, isSlow ? "slow (" + String.format(Locale.ROOT,
                        "%.2fx the fleet median, %.2fx its neighbours in time) ", run.steadyMedian() / fleetMedian,
                        run.steadyMedian() / neighbourMedian(fleet, j)) : "",
                        isAllocating ? run.bytesPerRun() + " bytes per inference" : "");
            }
            slow += isSlow ? 1 : 0;
            allocating += isAllocating ? 1 : 0;
            cold += run.median(11, 30) > 1.25 * run.steadyMedian() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "fleet median %.2f ms (min %.2f, max %.2f); slower than %.1fx: %d; above %d bytes: %d;"
                        + " 11-30 above 1.25x steady: %d%n", fleetMedian, steady[0], steady[steady.length - 1], SLOW_FACTOR,
                slow, MAX_BYTES_PER_RUN, allocating, cold);
        System.out.println(slow + allocating == 0 ? "jit-check: clean" : "jit-check: NOT clean");
        System.exit(slow + allocating == 0 ? 0 : 1);
    }

    /** The median steady state of up to {@link #NEIGHBOURS} JVMs started before and after JVM {@code j}. */
    static double neighbourMedian(List<ProbeRun> fleet, int j) {
        double[] near = IntStream.rangeClosed(j - NEIGHBOURS, j + NEIGHBOURS)
                .filter(i -> i != j && i >= 0 && i < fleet.size())
                .mapToDouble(i -> fleet.get(i).steadyMedian()).sorted().toArray();
        return near.length == 0 ? fleet.get(j).steadyMedian() : Stats.percentile(near, 50);
    }
}

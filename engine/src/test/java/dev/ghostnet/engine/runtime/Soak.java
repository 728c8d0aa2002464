package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A bounded soak: many inferences at a small size with sessions opened and closed every
 * {@link #SESSION_RUNS} runs and the model rebuilt every few thousand, sampling after a GC the
 * heap in use, the process RSS ({@code /proc/self/status} VmRSS, which sees FFM arenas the
 * BufferPoolMXBeans do not) and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, NMT's
 * committed native memory outside the Java heap (FFM arenas are malloc'd and counted under "Other"). A leak of a session's or model's off-heap buffers (kilobytes to megabytes each, a
 * few hundred of them per run) shows as steady growth after warm-up.
 *
 * <p>{@code scripts/soak [inferences]} runs the long variant as a separate JVM with NMT on; the default
 * suite runs a short one through {@link SoakTest}.
 */
public final class Soak {
    static final int SESSION_RUNS = 100;
    static final int MODEL_RUNS = 2000;
    static final int SIZE = 32;

    /** One sample: inferences done so far and memory figures in bytes (-1 when unavailable). */
    record Sample(int inferences, long heapUsed, long rss, long nmtCommitted) {}

    private Soak() {}

    /**
     * Runs {@code inferences} inferences, rebuilding the model every {@code modelRuns}, and samples memory
     * {@code samples + 1} times (before the first run and after each equal share).
     */
    static List<Sample> run(int inferences, int samples, int modelRuns) throws Exception {
        GhostNetConfig config = new GhostNetConfig(0.5, 10);
        float[] input = new float[SIZE * SIZE * 3];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < input.length; i++) input[i] = (float) (random.nextDouble() * 2 - 1);
        SessionOptions options = new SessionOptions(1, SIZE, SIZE, 1);

        List<Sample> out = new ArrayList<>();
        out.add(sample(0));
        int every = Math.max(1, inferences / samples);
        GhostNetModel model = GhostNetModel.seeded(config, 7, KernelProvider.get());
        InferenceSession session = new InferenceSession(model, options);
        float first = Float.NaN;
        try {
            for (int i = 1; i <= inferences; i++) {
                session.input().copyFrom(input);
                float logit = session.run().get(0, 0, 0, 0);
                if (i == 1) first = logit;
                if (Float.floatToRawIntBits(logit) != Float.floatToRawIntBits(first)) {
                    throw new AssertionError("inference " + i + " gave " + logit + ", the first gave " + first);
                }
                if (i % modelRuns == 0) {
                    session.close();
                    model.close();
                    model = GhostNetModel.seeded(config, 7, KernelProvider.get());
                    session = new InferenceSession(model, options);
                } else if (i % SESSION_RUNS == 0) {
                    session.close();
                    session = new InferenceSession(model, options);
                }
                if (i % every == 0) out.add(sample(i));
            }
        } finally {
            session.close();
            model.close();
        }
        return out;
    }

    private static Sample sample(int inferences) throws Exception {
        for (int i = 0; i < 3; i++) System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sample(inferences, heap, rss(), nmtCommitted());
    }

    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    static long rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return -1;
        Matcher m = VM_RSS.matcher(Files.readString(status));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /**
     * NMT's committed total minus the Java heap's (so G1 growing and shrinking the heap does not hide or
     * fake a native leak), through the DiagnosticCommand MBean: what {@code jcmd VM.native_memory} prints.
     * -1 when NMT is off.
     */
    static long nmtCommitted() throws Exception {
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        Matcher total = NMT_TOTAL.matcher(String.valueOf(text));
        Matcher heap = NMT_HEAP.matcher(String.valueOf(text));
        if (!total.find() || !heap.find()) return -1;
        return (Long.parseLong(total.group(2)) - Long.parseLong(heap.group(2))) * 1024;
    }

    static String table(List<Sample> samples) {
        StringBuilder sb = new StringBuilder(String.format("%11s %12s %10s %16s%n", "inferences", "heap MiB", "RSS MiB", "NMT non-heap MiB"));
        for (Sample s : samples) {
            sb.append(String.format("%11d %12.1f %10.1f %16s%n", s.inferences(), mib(s.heapUsed()), mib(s.rss()),
                    s.nmtCommitted() < 0 ? "n/a" : String.format("%.1f", mib(s.nmtCommitted()))));
        }
        return sb.toString();
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The long run: {@code scripts/soak [inferences]}; exits 1 when memory grew past the bounds after warm-up. */
    public static void main(String[] args) throws Exception {
        int inferences = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long start = System.nanoTime();
        List<Sample> samples = run(inferences, 20, MODEL_RUNS);
        System.out.print(table(samples));
        System.out.printf("%d inferences (%dx%d, width 0.5, %s kernels) in %.1f s%n", inferences, SIZE, SIZE,
                KernelProvider.get().getClass().getSimpleName(), (System.nanoTime() - start) / 1e9);
        String verdict = SoakBounds.check(samples);
        System.out.println(verdict == null ? "PASS: " + SoakBounds.describe() : "FAIL: " + verdict);
        System.exit(verdict == null ? 0 : 1);
    }
}

package dev.ghostnet.bench.jit;

import dev.ghostnet.bench.stats.Stats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link JitProbe} in a fresh JVM (this JVM's executable and class path, plus {@code jvmOptions}) and
 * what it printed: the latency of every inference from the first on, and heap bytes per steady-state inference.
 *
 * @param millis      latency of inference i + 1, in milliseconds
 * @param bytesPerRun heap bytes allocated per inference by all threads over the probe's last runs
 * @param loadMs      seeded model generation and weight packing, from the probe's main on
 * @param warmupMs    the engine's warm-up (0 when disabled)
 */
record ProbeRun(double[] millis, long bytesPerRun, long loadMs, long warmupMs) {
    /** The steady state: the median of the last {@value JitProbe#ALLOCATION_WINDOW} inferences. */
    double steadyMedian() {
        return Stats.of(Arrays.copyOfRange(millis, millis.length - JitProbe.ALLOCATION_WINDOW, millis.length)).median();
    }

    /** The median of inferences {@code first..last} (1-based, inclusive), e.g. 11..30 for the warm-up target. */
    double median(int first, int last) {
        return Stats.of(Arrays.copyOfRange(millis, first - 1, last)).median();
    }

    static ProbeRun start(int threads, int runs, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JitProbe.class.getName(),
                Integer.toString(threads), Integer.toString(runs)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("JitProbe failed (exit " + (process.isAlive() ? "none" : process.exitValue())
                    + "): " + command);
        }
        return parse(output, runs);
    }

    /** Reads the probe's {@code run I NANOS} and {@code bytes-per-run N} lines; anything else is ignored. */
    static ProbeRun parse(String output, int runs) throws IOException {
        double[] millis = new double[runs];
        int seen = 0;
        long bytes = -1;
        long[] setup = {-1, -1};
        for (String line : output.lines().toList()) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 3 && parts[0].equals("run")) {
                millis[Integer.parseInt(parts[1]) - 1] = Long.parseLong(parts[2]) / 1e6;
                seen++;
            } else if (parts.length == 2 && parts[0].equals("bytes-per-run")) {
                bytes = Long.parseLong(parts[1]);
            } else if (parts.length == 3 && parts[0].equals("setup-ms")) {
                setup = new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
        }
        if (seen != runs || bytes < 0 || setup[0] < 0) {
            throw new IOException("JitProbe printed " + seen + " of " + runs + " runs"
                    + (bytes < 0 || setup[0] < 0 ? " and no allocation or set-up figure" : ""));
        }
        return new ProbeRun(millis, bytes, setup[0], setup[1]);
    }
}

package dev.ghostnet.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from process start to first logits, and peak resident memory, of an engine in a fresh JVM
 * ({@link StartupProbe}): started with this JVM's own executable, options and class path plus {@link #MEMORY},
 * timed from just before the fork to the moment its "logits" line arrives.
 */
final class StartupMeasurement {
    record Result(double firstLogitsMs, double peakRssMb) {}

    /**
     * The heap and collector both engines' probes get, the ones the README recommends to library users: neither
     * keeps its weights or activations on the heap, and the JVM's default (an initial heap of 1/64 of RAM, grown
     * by G1) is what made the probe's RSS 450-560 MB instead of 160-190 on a 24 GB machine. The serial collector
     * spares G1's own structures: this engine's probe 230 -> 196 MB, ONNX Runtime's 127 -> 126 (2026-12-02, Xeon).
     */
    static final List<String> MEMORY = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx64m");

    private StartupMeasurement() {}

    static Result measure(String engine, Path model, Path input, int threads) throws BenchException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(inherited);
        // After the inherited options (the last -Xmx wins); a collector chosen there stays, two would not start.
        boolean collectorChosen = inherited.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w*GC"));
        command.addAll(MEMORY.stream().filter(o -> !(collectorChosen && o.endsWith("GC"))).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupProbe.class.getName(),
                engine, model.toString(), input.toString(), Integer.toString(threads)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                double firstMs = (System.nanoTime() - start) / 1e6;
                String second = out.readLine();
                int code = process.waitFor();
                if (code != 0 || first == null || !first.startsWith("logits") || second == null
                        || !second.startsWith("vmhwm_kb=")) {
                    throw new BenchException("startup probe for " + engine + " failed (exit code " + code + ")");
                }
                long kb = Long.parseLong(second.substring("vmhwm_kb=".length()));
                return new Result(firstMs, kb < 0 ? Double.NaN : kb / 1024.0);
            }
        } catch (IOException e) {
            throw new BenchException("cannot start the startup probe for " + engine + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + engine + " startup", e);
        }
    }
}

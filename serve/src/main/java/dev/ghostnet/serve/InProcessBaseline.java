package dev.ghostnet.serve;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The in-process reference for {@code scripts/loadtest}: the same image through the same steps the server
 * takes (decode, preprocess, run) on one session of the same threads, without HTTP. Prints one line of
 * {@code key=value} pairs: latency percentiles at batch 1 and throughput at the server's largest batch.
 */
@Command(name = "in-process-baseline", mixinStandardHelpOptions = true)
public final class InProcessBaseline implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image the load test posts.")
    Path image;

    @Option(names = "--weights", paramLabel = "FILE", description = "Checkpoint; default: the seeded model the server uses.")
    Path weights;

    @Option(names = "--seeded-width", defaultValue = "1.0")
    double seededWidth;

    @Option(names = "--threads", defaultValue = "2", description = "Threads of the session (the server's --threads).")
    int threads;

    @Option(names = "--batch", defaultValue = "8", description = "Batch for the throughput figure (the server's --max-batch).")
    int batch;

    @Option(names = "--seconds", defaultValue = "10", description = "Time for each of the two measurements, after as long again of warm-up.")
    double seconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InProcessBaseline()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        byte[] encoded = Files.readAllBytes(image);
        ModelSpec spec = new ModelSpec(weights, seededWidth, 1000, 42, false, 40_000_000L);
        try (Engine engine = Engine.open(spec);
             Engine.Runner runner = engine.newRunner(threads, batch)) {
            long budget = (long) (seconds * 1e9);
            latencies(engine, runner, encoded, budget); // warm-up
            double[] latencyMs = latencies(engine, runner, encoded, budget);
            throughput(engine, runner, encoded, budget); // warm-up
            double imagesPerSecond = throughput(engine, runner, encoded, budget);
            Arrays.sort(latencyMs);
            System.out.printf(Locale.ROOT, "inprocess_threads=%d inprocess_batch=%d inprocess_p50_ms=%.2f"
                            + " inprocess_p99_ms=%.2f inprocess_single_ips=%.1f inprocess_batch_ips=%.1f%n",
                    threads, batch, percentile(latencyMs, 0.50), percentile(latencyMs, 0.99),
                    1000.0 / mean(latencyMs), imagesPerSecond);
        }
        return 0;
    }

    /** One image at a time: decode, preprocess, run. */
    private static double[] latencies(Engine engine, Engine.Runner runner, byte[] encoded, long budget) throws ApiException {
        double[] samples = new double[1024];
        int n = 0;
        long end = System.nanoTime() + budget;
        while (System.nanoTime() < end || n < 10) {
            long start = System.nanoTime();
            runner.logits(engine.preprocess(encoded, "image"));
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = (System.nanoTime() - start) / 1e6;
        }
        return Arrays.copyOf(samples, n);
    }

    /** Batches of {@code batch} images: each decoded and preprocessed, then run together. */
    private double throughput(Engine engine, Engine.Runner runner, byte[] encoded, long budget) throws ApiException {
        int floats = engine.imageFloats();
        float[] input = new float[batch * floats];
        long images = 0;
        long start = System.nanoTime();
        long end = start + budget;
        while (System.nanoTime() < end || images < batch) {
            for (int i = 0; i < batch; i++) {
                System.arraycopy(engine.preprocess(encoded, "image"), 0, input, i * floats, floats);
            }
            runner.logits(input);
            images += batch;
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}

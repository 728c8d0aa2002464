package dev.ghostnet.bench.stats;

import java.util.Arrays;

/**
 * Summary of timing samples: median, 10th and 90th percentiles and minimum. Percentiles interpolate linearly
 * between the two nearest ranks (numpy's default), the definition {@code bench_torch.py} uses, so the
 * figures of the Java engines and PyTorch mean the same thing.
 */
public record Stats(double median, double p10, double p90, double min, int count) {
    public Stats {
        if (count <= 0) throw new IllegalArgumentException("no samples");
    }

    public static Stats of(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Stats(percentile(sorted, 50), percentile(sorted, 10), percentile(sorted, 90), sorted[0], sorted.length);
    }

    /** The {@code q}-th percentile (0..100) of ascending {@code sorted}, linearly interpolated. */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) throw new IllegalArgumentException("no samples");
        if (q < 0 || q > 100) throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        double rank = q / 100.0 * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double fraction = rank - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }

    /** The same statistics divided by {@code divisor}, e.g. per batch to per image. */
    public Stats dividedBy(double divisor) {
        return new Stats(median / divisor, p10 / divisor, p90 / divisor, min / divisor, count);
    }
}

package dev.ghostnet.bench.profile;

import java.util.List;

/**
 * Per-step times of one session: each step's median over the iterations, in plan order, with the whole
 * network's median run for comparison (the steps' sum misses only the hand-offs between them).
 */
public record ProfileReport(Setup setup, List<StepTime> steps, double wholeRunMedianMs) {
    public record Setup(double widthMult, int size, int batch, int threads, int iters, int warmup, String kernels,
                        String date) {}

    /** One step: {@code macs} for the whole batch, {@code medianMs} of running it alone. */
    public record StepTime(int index, String name, String description, long macs, double medianMs) {
        /** Giga multiply-adds per second; 0 for steps without multiply-adds (adds, pooling). */
        public double gmacPerSecond() {
            return medianMs > 0 ? macs / (medianMs * 1e6) : 0;
        }

        /** The op kind, the first word of the description (pointwise, depthwise, conv, ...). */
        public String kind() {
            int space = description.indexOf(' ');
            return space < 0 ? description : description.substring(0, space);
        }
    }

    public double stepSumMs() {
        return steps.stream().mapToDouble(StepTime::medianMs).sum();
    }

    public long totalMacs() {
        return steps.stream().mapToLong(StepTime::macs).sum();
    }
}

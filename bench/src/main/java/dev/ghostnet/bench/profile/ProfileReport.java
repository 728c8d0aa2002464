package dev.ghostnet.bench.profile;

import dev.ghostnet.machine.Machine;
import java.util.List;

/**
 * Per-step times of one session: each step's median over the iterations, in plan order, with the whole
 * network's median run for comparison (the steps' sum misses only the hand-offs between them), each fused
 * group's median as a run executes it (band by band), and the machine with its FMA peak measured in the same run.
 */
public record ProfileReport(Setup setup, List<StepTime> steps, List<GroupTime> groups, double wholeRunMedianMs,
                            Machine machine) {
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

    /**
     * A fused group, steps {@code [fromStep, toStep)}: {@code fusedMs} is the median of running it as a run does
     * (band by band of {@code bandRows} rows), to compare with the sum of its steps' medians run one by one.
     */
    public record GroupTime(int index, int fromStep, int toStep, int bandRows, double fusedMs) {}

    /** The sum of the medians of steps {@code [from, to)}. */
    public double stepsMs(int from, int to) {
        return steps.subList(from, to).stream().mapToDouble(StepTime::medianMs).sum();
    }

    /**
     * The ceiling the steps are compared with: the measured per-core FMA peak times the session's threads
     * (each step runs on all of them).
     */
    public double peakGmacs() {
        return machine.peakGmacs() * setup.threads();
    }

    /** {@code gmacs} as a percentage of {@link #peakGmacs()}. */
    public double percentOfPeak(double gmacs) {
        return 100 * gmacs / peakGmacs();
    }

    public double stepSumMs() {
        return steps.stream().mapToDouble(StepTime::medianMs).sum();
    }

    public long totalMacs() {
        return steps.stream().mapToLong(StepTime::macs).sum();
    }
}

package dev.ghostnet.bench.roofline;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.machine.Bandwidth;
import dev.ghostnet.machine.Machine;
import java.util.List;
import java.util.Map;

/**
 * Every kernel family on every kernel call of the plan, with the ceilings measured in the same run: the
 * FMA peak at each vector width ({@code peakByBits}, widest first; {@link Machine#peakGmacs} is the
 * preferred width's, the one shares are of) and the L2 and memory bandwidths.
 */
public record RooflineReport(Setup setup, Machine machine, Map<Integer, Double> peakByBits, Bandwidth.Measured bandwidth,
                             List<KernelCase> cases, List<String> families, List<Measurement> measurements,
                             List<String> skippedSteps, List<String> unavailableFamilies) {
    public record Setup(double widthMult, int size, long warmupMs, int minCalls, long measureMs) {}

    /** One family on one case: time per call (ms) over the timed calls. */
    public record Measurement(String family, KernelCase kernelCase, Stats ms) {
        public double gmacPerSecond() {
            return kernelCase.macs() / (ms.median() * 1e6);
        }
    }

    public double percentOfPeak(double gmacs) {
        return 100 * gmacs / machine.peakGmacs();
    }

    /** The roofline bound if every byte came from L2: min(peak, intensity x L2 bandwidth), G MAC/s. */
    public double l2Bound(KernelCase c) {
        return Math.min(machine.peakGmacs(), c.intensity() * bandwidth.l2GbPerSecond());
    }

    /** The same from memory. */
    public double memoryBound(KernelCase c) {
        return Math.min(machine.peakGmacs(), c.intensity() * bandwidth.memoryGbPerSecond());
    }

    /** The measurement of {@code family} on {@code c}, or null when that family was not run. */
    public Measurement find(String family, KernelCase c) {
        for (Measurement m : measurements) {
            if (m.family().equals(family) && m.kernelCase().equals(c)) return m;
        }
        return null;
    }
}

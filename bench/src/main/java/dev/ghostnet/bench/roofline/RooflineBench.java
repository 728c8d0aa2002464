package dev.ghostnet.bench.roofline;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.machine.Bandwidth;
import dev.ghostnet.machine.FmaPeak;
import dev.ghostnet.machine.Machine;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ghostnet bench --kernels}: every kernel family (through {@link KernelProvider#of}, so whatever
 * kernels exist are measured) on every distinct kernel call of the GhostNet plan, one image, one thread.
 * First the ceilings: the FMA peak at each vector width this CPU runs natively, then the L2 and memory
 * read bandwidths. Then per kernel call every family in turn, so the widths of one call are compared in
 * the same minute of a shared machine's load.
 */
public final class RooflineBench {
    public record Options(double widthMult, int size, List<String> families, long warmupMs, int minCalls, long measureMs) {}

    private RooflineBench() {}

    public static RooflineReport run(Options o, PrintStream log) {
        List<Kernels> families = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        int preferred = FmaPeak.preferredBits();
        for (String name : o.families()) {
            if (name.startsWith("vector-") && Integer.parseInt(name.substring(7)) > preferred) {
                unavailable.add(name + ": wider than this CPU's " + preferred + "-bit vectors (it would be emulated)");
                continue;
            }
            try {
                families.add(KernelProvider.of(name));
            } catch (IllegalArgumentException | IllegalStateException e) {
                unavailable.add(name + ": " + e.getMessage());
            }
        }
        if (families.isEmpty()) throw new IllegalStateException("no kernel family to run: " + unavailable);

        Map<Integer, Double> peaks = new LinkedHashMap<>();
        for (int bits : new int[] {512, 256, 128}) {
            if (bits <= preferred) {
                log.println("bench: FMA peak at " + bits + " bits");
                peaks.put(bits, FmaPeak.measureGmacs(bits));
            }
        }
        log.println("bench: L2 and memory read bandwidth");
        Bandwidth.Measured bandwidth = Bandwidth.measure();
        Machine machine = Machine.withPeak(preferred, peaks.get(preferred));
        log.println("bench: " + machine.caption() + String.format(java.util.Locale.ROOT,
                "; L2 %.1f GB/s, memory %.1f GB/s", bandwidth.l2GbPerSecond(), bandwidth.memoryGbPerSecond()));

        PlanShapes.Shapes shapes = shapes(o);
        KernelTimer timer = new KernelTimer(o.warmupMs(), o.minCalls(), o.measureMs());
        List<RooflineReport.Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < shapes.cases().size(); i++) {
            KernelCase c = shapes.cases().get(i);
            log.println("bench: [" + (i + 1) + "/" + shapes.cases().size() + "] " + c.description());
            for (Kernels kernels : families) {
                try (Arena arena = Arena.ofConfined()) {
                    measurements.add(new RooflineReport.Measurement(kernels.name(), c,
                            timer.time(KernelBinding.bind(c, kernels, arena))));
                }
            }
        }
        RooflineReport.Setup setup = new RooflineReport.Setup(o.widthMult(), o.size(), o.warmupMs(), o.minCalls(),
                o.measureMs());
        return new RooflineReport(setup, machine, peaks, bandwidth, shapes.cases(),
                families.stream().map(Kernels::name).toList(), measurements, shapes.skipped(), unavailable);
    }

    /** The kernel calls of a width-{@code widthMult} plan at {@code size}x{@code size}, batch 1. */
    private static PlanShapes.Shapes shapes(Options o) {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(o.widthMult()), 0,
                KernelProvider.of("scalar"));
             InferenceSession session = new InferenceSession(model, new SessionOptions(1, o.size(), o.size(), 1))) {
            return PlanShapes.of(session.steps());
        }
    }
}

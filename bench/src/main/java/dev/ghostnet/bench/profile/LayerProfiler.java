package dev.ghostnet.bench.profile;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.engine.runtime.Warmup;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.machine.Machine;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ghostnet bench --profile}: times every step of the plan alone ({@link InferenceSession#runStep}), and
 * every fused group as a run executes it ({@link InferenceSession#runFusedGroup}), after full-network warm-up. Steps run in plan order within each iteration, so each finds the caches as
 * the previous step left them, as in a real run. Uses seeded weights: times do not depend on the values.
 * The FMA peak is measured first, in the same JVM, so every step's share of it is read off one run.
 */
public final class LayerProfiler {
    /** Seed of the profiled model's weights and input; any would do. */
    private static final long SEED = 6;

    public record Options(GhostNetConfig.Version version, double widthMult, int size, int batch, int threads, int iters, int warmup) {}

    private LayerProfiler() {}

    public static ProfileReport run(Options o, PrintStream log) {
        Kernels kernels = KernelProvider.get();
        log.println("bench: measuring this core's FMA peak");
        Machine machine = Machine.measure();
        log.println("bench: " + machine.caption());
        log.println("bench: profiling ghostnet " + o.version() + " width " + o.widthMult() + " " + o.size() + "x" + o.size() + " batch "
                + o.batch() + ", " + o.threads() + " thread(s), kernels " + kernels.name());
        try (GhostNetModel model = GhostNetModel.seeded(new GhostNetConfig(o.version(), o.widthMult(), 1000), SEED, kernels);
             InferenceSession session = new InferenceSession(model,
                     new SessionOptions(o.batch(), o.size(), o.size(), o.threads()))) {
            // The same warm-up a GhostNetSession gets, so the profile times the code a user runs: without it, 500
            // runs at 224x224 left this JVM 1.7x slower (12.5 ms instead of 7.2 on one thread, depthwise at a
            // third of its rate), see BENCHMARKS.md "Runtime". -Dghostnet.warmup=false shows that state.
            Warmup.ensure(model, o.threads());
            session.setInputNchw(gaussian(o.batch() * 3 * o.size() * o.size()));
            for (int i = 0; i < o.warmup(); i++) {
                session.run();
            }
            List<InferenceSession.StepInfo> infos = session.steps();
            List<InferenceSession.FusedGroupInfo> groups = session.fusedGroups();
            double[] whole = new double[o.iters()];
            double[][] perStep = new double[infos.size()][o.iters()];
            double[][] perGroup = new double[groups.size()][o.iters()];
            // One whole run, then every step alone, then every fused group, per iteration: all see the same JIT
            // state and machine load.
            for (int it = 0; it < o.iters(); it++) {
                long start = System.nanoTime();
                session.run();
                whole[it] = (System.nanoTime() - start) / 1e6;
                for (int s = 0; s < infos.size(); s++) {
                    long t0 = System.nanoTime();
                    session.runStep(s);
                    perStep[s][it] = (System.nanoTime() - t0) / 1e6;
                }
                // The network once more in plan order, each fused group timed where a run executes it, so it finds
                // the caches as the step before it left them.
                for (int s = 0, g = 0; s < infos.size(); ) {
                    if (g < groups.size() && groups.get(g).fromStep() == s) {
                        long t0 = System.nanoTime();
                        session.runFusedGroup(g);
                        perGroup[g][it] = (System.nanoTime() - t0) / 1e6;
                        s = groups.get(g++).toStep();
                    } else {
                        session.runStep(s++);
                    }
                }
            }
            List<ProfileReport.StepTime> steps = new ArrayList<>();
            for (int s = 0; s < infos.size(); s++) {
                InferenceSession.StepInfo info = infos.get(s);
                steps.add(new ProfileReport.StepTime(s, info.name(), info.description(),
                        info.macsPerImage() * o.batch(), Stats.of(perStep[s]).median()));
            }
            List<ProfileReport.GroupTime> groupTimes = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                InferenceSession.FusedGroupInfo info = groups.get(g);
                groupTimes.add(new ProfileReport.GroupTime(g, info.fromStep(), info.toStep(), info.bandRows(),
                        Stats.of(perGroup[g]).median()));
            }
            String date = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss zzz yyyy", Locale.ROOT));
            ProfileReport.Setup setup = new ProfileReport.Setup(o.widthMult(), o.size(), o.batch(), o.threads(),
                    o.iters(), o.warmup(), kernels.name(), date);
            return new ProfileReport(setup, steps, groupTimes, Stats.of(whole).median(), machine);
        }
    }

    private static float[] gaussian(int n) {
        Random random = new Random(SEED);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}

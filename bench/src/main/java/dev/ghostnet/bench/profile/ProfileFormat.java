package dev.ghostnet.bench.profile;

import dev.ghostnet.engine.io.JsonText;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The profile as tables (every step in plan order, the ten slowest, time per op kind) or JSON, each rate
 * also as a share of the FMA peak measured in the same run.
 */
public final class ProfileFormat {
    static final int TOP = 10;

    private ProfileFormat() {}

    public static String table(ProfileReport report) {
        ProfileReport.Setup s = report.setup();
        double total = report.stepSumMs();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "GhostNet width %s at %dx%d, batch %d, %d thread(s), kernels %s, %s%n",
                s.widthMult(), s.size(), s.size(), s.batch(), s.threads(), s.kernels(), s.date()));
        out.append(String.format(Locale.ROOT,
                "median of %d iterations per step, each step run alone after %d whole-network warm-up runs%n",
                s.iters(), s.warmup()));
        double sumRate = report.totalMacs() / (total * 1e6);
        out.append(String.format(Locale.ROOT, "machine: %s%n", report.machine().caption()));
        out.append(String.format(Locale.ROOT,
                "%% peak = G MAC/s / %.1f (the measured per-core FMA peak x %d thread(s))%n", report.peakGmacs(),
                s.threads()));
        out.append(String.format(Locale.ROOT,
                "sum of steps %.3f ms (%.2f G MAC/s over %.2f M MACs, %.1f%% of peak); whole network run() median %.3f ms%n%n",
                total, sumRate, report.totalMacs() / 1e6, report.percentOfPeak(sumRate), report.wholeRunMedianMs()));
        header(out);
        for (ProfileReport.StepTime step : report.steps()) {
            line(out, step, report);
        }
        out.append(String.format(Locale.ROOT, "%nTop %d steps by time (%.1f%% of the total)%n", TOP,
                100 * top(report).stream().mapToDouble(ProfileReport.StepTime::medianMs).sum() / total));
        header(out);
        for (ProfileReport.StepTime step : top(report)) {
            line(out, step, report);
        }
        out.append(String.format(Locale.ROOT, "%nBy op kind%n%-16s %5s %10s %10s %8s %7s %7s%n",
                "kind", "steps", "M MACs", "ms", "GMAC/s", "%", "% peak"));
        for (KindTotal k : byKind(report)) {
            out.append(String.format(Locale.ROOT, "%-16s %5d %10.2f %10.3f %8.2f %6.1f%% %6.1f%%%n", k.kind(),
                    k.steps(), k.macs() / 1e6, k.ms(), k.gmacPerSecond(), 100 * k.ms() / total,
                    report.percentOfPeak(k.gmacPerSecond())));
        }
        if (!report.groups().isEmpty()) {
            out.append(String.format(Locale.ROOT,
                    "%nFused groups (run band by band, as run() does, against their steps run one by one)%n"
                            + "%5s %-9s %-34s %-34s %5s %10s %10s %7s%n",
                    "group", "steps", "first", "last", "band", "fused ms", "steps ms", "ratio"));
            for (ProfileReport.GroupTime g : report.groups()) {
                double stepsMs = report.stepsMs(g.fromStep(), g.toStep());
                out.append(String.format(Locale.ROOT, "%5s %-9s %-34s %-34s %5d %10.4f %10.4f %7.3f%n",
                        "g" + g.index(), g.fromStep() + ".." + (g.toStep() - 1), report.steps().get(g.fromStep()).name(),
                        report.steps().get(g.toStep() - 1).name(), g.bandRows(), g.fusedMs(), stepsMs,
                        g.fusedMs() / stepsMs));
            }
        }
        return out.toString();
    }

    private static void header(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "%4s %-34s %-34s %9s %10s %8s %6s %7s%n",
                "#", "layer", "op", "M MACs", "median ms", "GMAC/s", "%", "% peak"));
    }

    private static void line(StringBuilder out, ProfileReport.StepTime step, ProfileReport report) {
        out.append(String.format(Locale.ROOT, "%4d %-34s %-34s %9.3f %10.4f %8.2f %5.1f%% %6.1f%%%n", step.index(),
                step.name(), step.description(), step.macs() / 1e6, step.medianMs(), step.gmacPerSecond(),
                100 * step.medianMs() / report.stepSumMs(), report.percentOfPeak(step.gmacPerSecond())));
    }

    /** The {@link #TOP} slowest steps, slowest first (plan order among equals). */
    static List<ProfileReport.StepTime> top(ProfileReport report) {
        return report.steps().stream()
                .sorted(Comparator.comparingDouble(ProfileReport.StepTime::medianMs).reversed()
                        .thenComparingInt(ProfileReport.StepTime::index))
                .limit(TOP).toList();
    }

    record KindTotal(String kind, int steps, long macs, double ms) {
        double gmacPerSecond() {
            return ms > 0 ? macs / (ms * 1e6) : 0;
        }
    }

    /** Time per op kind, the largest first: which kernel family to work on next. */
    static List<KindTotal> byKind(ProfileReport report) {
        Map<String, KindTotal> totals = new LinkedHashMap<>();
        for (ProfileReport.StepTime s : report.steps()) {
            totals.merge(s.kind(), new KindTotal(s.kind(), 1, s.macs(), s.medianMs()),
                    (a, b) -> new KindTotal(a.kind(), a.steps() + b.steps(), a.macs() + b.macs(), a.ms() + b.ms()));
        }
        return totals.values().stream().sorted(Comparator.comparingDouble(KindTotal::ms).reversed()).toList();
    }

    public static String json(ProfileReport report) {
        ProfileReport.Setup s = report.setup();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("width_mult", s.widthMult());
        setup.put("size", s.size());
        setup.put("batch", s.batch());
        setup.put("threads", s.threads());
        setup.put("iters", s.iters());
        setup.put("warmup", s.warmup());
        setup.put("kernels", s.kernels());
        setup.put("date", s.date());
        List<Object> steps = new ArrayList<>();
        for (ProfileReport.StepTime step : report.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", step.index());
            m.put("name", step.name());
            m.put("op", step.description());
            m.put("macs", step.macs());
            m.put("median_ms", step.medianMs());
            m.put("gmac_per_s", step.gmacPerSecond());
            m.put("pct_of_time", 100 * step.medianMs() / report.stepSumMs());
            m.put("pct_of_peak", report.percentOfPeak(step.gmacPerSecond()));
            steps.add(m);
        }
        List<Object> kinds = new ArrayList<>();
        for (KindTotal k : byKind(report)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", k.kind());
            m.put("steps", k.steps());
            m.put("macs", k.macs());
            m.put("ms", k.ms());
            m.put("gmac_per_s", k.gmacPerSecond());
            m.put("pct_of_time", 100 * k.ms() / report.stepSumMs());
            m.put("pct_of_peak", report.percentOfPeak(k.gmacPerSecond()));
            kinds.add(m);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("setup", setup);
        top.put("machine", report.machine().fields());
        top.put("peak_gmacs", report.peakGmacs());
        top.put("whole_run_median_ms", report.wholeRunMedianMs());
        top.put("step_sum_ms", report.stepSumMs());
        top.put("steps", steps);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ProfileReport.GroupTime g : report.groups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", g.index());
            m.put("from_step", g.fromStep());
            m.put("to_step", g.toStep());
            m.put("band_rows", g.bandRows());
            m.put("fused_ms", g.fusedMs());
            m.put("steps_ms", report.stepsMs(g.fromStep(), g.toStep()));
            groups.add(m);
        }
        top.put("fused_groups", groups);
        top.put("kinds", kinds);
        return JsonText.write(top);
    }
}

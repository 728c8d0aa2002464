package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.io.JsonText;
import dev.ghostnet.bench.stats.Stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison as a fixed-width table for people, or one JSON object for scripts. */
public final class ComparisonFormat {
    private ComparisonFormat() {}

    public static String table(ComparisonReport report) {
        ComparisonReport.Setup s = report.setup();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "GhostNet %s width %s at %dx%d, %s%n", s.version().name().toLowerCase(Locale.ROOT), s.widthMult(), s.size(), s.size(), s.date()));
        out.append("machine: ").append(report.machine().caption()).append('\n');
        out.append(String.format(Locale.ROOT,
                "engines: ghostnet (kernels %s); onnxruntime %s (ALL_OPT, intra-op = threads, inter-op 1); pytorch %s (TorchScript frozen + optimize_for_inference)%n",
                s.kernels(), s.ortVersion(), s.torchVersion()));
        out.append(String.format(Locale.ROOT,
                "ghostnet and onnxruntime take turns A B A B: %d rounds x %d iterations each (each turn after %d ms untimed), after %d warm-up each; "
                        + "pytorch* runs once per row after the rounds, in its own process, %d iterations%n",
                s.rounds(), s.itersPerTurn(), InterleavedRunner.SETTLE.toMillis(), s.warmup(), s.rounds() * s.itersPerTurn()));
        out.append("ms per image; x ORT = median / onnxruntime median; first logits = fresh process start to first logits; "
                + "peak RSS = VmHWM of that process; max|d|, top-1 = logits vs ghostnet on the same input\n\n");
        out.append(String.format(Locale.ROOT, "%7s %5s %-12s %9s %9s %9s %7s %13s %9s %9s %7s%n",
                "threads", "batch", "engine", "median", "p90", "min", "x ORT", "first logits", "peak RSS", "max|d|", "top-1"));
        for (ComparisonReport.RowResult row : report.rows()) {
            for (ComparisonReport.EngineResult e : row.engines()) {
                Stats t = e.perImageMs();
                out.append(String.format(Locale.ROOT, "%7d %5d %-12s %9.3f %9.3f %9.3f %7s %13s %9s %9s %7s%n",
                        row.row().threads(), row.row().batch(), e.engine() + (e.interleaved() ? "" : "*"),
                        t.median(), t.p90(), t.min(), ratio(e.ratioToOrt()), millis(e.firstLogitsMs()),
                        megabytes(e.peakRssMb()), String.format(Locale.ROOT, "%.1e", e.vsGhostnet().maxAbsDiff()),
                        e.vsGhostnet().top1Same() + "/" + e.vsGhostnet().images()));
            }
        }
        return out.toString();
    }

    private static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "-";
    }

    private static String millis(double ms) {
        return Double.isFinite(ms) ? String.format(Locale.ROOT, "%.0f ms", ms) : "-";
    }

    private static String megabytes(double mb) {
        return Double.isFinite(mb) ? String.format(Locale.ROOT, "%.0f MB", mb) : "-";
    }

    public static String json(ComparisonReport report) {
        ComparisonReport.Setup s = report.setup();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("version", s.version().name().toLowerCase(Locale.ROOT));
        setup.put("width_mult", s.widthMult());
        setup.put("size", s.size());
        setup.put("rounds", s.rounds());
        setup.put("iters_per_turn", s.itersPerTurn());
        setup.put("warmup", s.warmup());
        setup.put("kernels", s.kernels());
        setup.put("onnxruntime_version", s.ortVersion());
        setup.put("torch_version", s.torchVersion());
        setup.put("date", s.date());
        setup.put("schedule", "ghostnet and onnxruntime alternate A B A B in one JVM; pytorch runs once per row after the rounds");
        List<Object> rows = new ArrayList<>();
        for (ComparisonReport.RowResult row : report.rows()) {
            List<Object> engines = new ArrayList<>();
            for (ComparisonReport.EngineResult e : row.engines()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("engine", e.engine());
                m.put("interleaved", e.interleaved());
                Stats t = e.perImageMs();
                Map<String, Object> times = new LinkedHashMap<>();
                times.put("median", t.median());
                times.put("p10", t.p10());
                times.put("p90", t.p90());
                times.put("min", t.min());
                times.put("samples", t.count());
                m.put("ms_per_image", times);
                m.put("ratio_to_onnxruntime", e.ratioToOrt());
                m.put("first_logits_ms", e.firstLogitsMs());
                m.put("peak_rss_mb", e.peakRssMb());
                m.put("max_abs_diff_vs_ghostnet", e.vsGhostnet().maxAbsDiff());
                m.put("top1_same_as_ghostnet", e.vsGhostnet().top1Same());
                m.put("images", e.vsGhostnet().images());
                engines.add(m);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threads", row.row().threads());
            r.put("batch", row.row().batch());
            r.put("engines", engines);
            rows.add(r);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("setup", setup);
        top.put("machine", report.machine().fields());
        top.put("rows", rows);
        return JsonText.write(top);
    }
}

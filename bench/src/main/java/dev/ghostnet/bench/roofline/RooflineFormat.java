package dev.ghostnet.bench.roofline;

import dev.ghostnet.engine.io.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The roofline measurements as a table (one line per kernel call, one column pair per family) or JSON. */
public final class RooflineFormat {
    private RooflineFormat() {}

    public static String table(RooflineReport r) {
        RooflineReport.Setup s = r.setup();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "GhostNet width %s at %dx%d, batch 1, one thread: every kernel family on each kernel call of the plan%n",
                s.widthMult(), s.size(), s.size()));
        out.append("machine: ").append(r.machine().caption()).append('\n');
        out.append("ceilings (this run): FMA peak");
        r.peakByBits().forEach((bits, peak) -> out.append(String.format(Locale.ROOT, " %d-bit %.1f", bits, peak)));
        out.append(String.format(Locale.ROOT, " G MAC/s; read bandwidth L2 %.1f GB/s, memory %.1f GB/s%n",
                r.bandwidth().l2GbPerSecond(), r.bandwidth().memoryGbPerSecond()));
        out.append(String.format(Locale.ROOT,
                "per kernel and family: warm-up >= %d ms and until the fastest call is stable for %1$d ms, then the median call of >= %d calls timed one by one for >= %d ms%n",
                s.warmupMs(), s.minCalls(), s.measureMs()));
        out.append(String.format(Locale.ROOT,
                "%%pk = G MAC/s / %.1f (the %d-bit peak); MAC/B over compulsory traffic; bound = min(peak, MAC/B x bandwidth)%n%n",
                r.machine().peakGmacs(), r.machine().vectorBits()));
        out.append(String.format(Locale.ROOT, "%-36s %6s %8s %8s %6s %8s %8s", "op", "layers", "M MACs", "KiB", "MAC/B",
                "L2 bound", "mem bnd"));
        for (String family : r.families()) out.append(String.format(Locale.ROOT, " | %-15s", family + " GMAC/s %pk"));
        out.append('\n');
        for (KernelCase c : r.cases()) {
            out.append(String.format(Locale.ROOT, "%-36s %6d %8.3f %8.0f %6.2f %8.1f %8.1f", c.description(), c.layers(),
                    c.macs() / 1e6, c.bytes() / 1024.0, c.intensity(), r.l2Bound(c), r.memoryBound(c)));
            for (String family : r.families()) {
                RooflineReport.Measurement m = r.find(family, c);
                out.append(m == null ? String.format(Locale.ROOT, " | %-15s", "-")
                        : String.format(Locale.ROOT, " | %7.2f %6.1f%%", m.gmacPerSecond(), r.percentOfPeak(m.gmacPerSecond())));
            }
            out.append('\n');
        }
        for (String skipped : r.skippedSteps()) out.append("not a multiply-accumulate kernel, not measured: ").append(skipped).append('\n');
        for (String family : r.unavailableFamilies()) out.append("family skipped: ").append(family).append('\n');
        return out.toString();
    }

    public static String json(RooflineReport r) {
        RooflineReport.Setup s = r.setup();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("width_mult", s.widthMult());
        setup.put("size", s.size());
        setup.put("batch", 1);
        setup.put("threads", 1);
        setup.put("warmup_ms", s.warmupMs());
        setup.put("min_calls", s.minCalls());
        setup.put("measure_ms", s.measureMs());
        Map<String, Object> peaks = new LinkedHashMap<>();
        r.peakByBits().forEach((bits, peak) -> peaks.put(Integer.toString(bits), peak));
        Map<String, Object> ceilings = new LinkedHashMap<>();
        ceilings.put("fma_peak_gmacs_by_bits", peaks);
        ceilings.put("l2_gb_per_s", r.bandwidth().l2GbPerSecond());
        ceilings.put("memory_gb_per_s", r.bandwidth().memoryGbPerSecond());
        List<Object> kernels = new ArrayList<>();
        for (KernelCase c : r.cases()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("op", c.description());
            k.put("kind", c.kind().label());
            k.put("layers", c.layers());
            k.put("macs", c.macs());
            k.put("bytes", c.bytes());
            k.put("macs_per_byte", c.intensity());
            k.put("l2_bound_gmacs", r.l2Bound(c));
            k.put("memory_bound_gmacs", r.memoryBound(c));
            List<Object> results = new ArrayList<>();
            for (String family : r.families()) {
                RooflineReport.Measurement m = r.find(family, c);
                if (m == null) continue;
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("family", family);
                one.put("median_ms", m.ms().median());
                one.put("p10_ms", m.ms().p10());
                one.put("p90_ms", m.ms().p90());
                one.put("calls", m.ms().count());
                one.put("gmac_per_s", m.gmacPerSecond());
                one.put("pct_of_peak", r.percentOfPeak(m.gmacPerSecond()));
                results.add(one);
            }
            k.put("results", results);
            kernels.add(k);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("setup", setup);
        top.put("machine", r.machine().fields());
        top.put("ceilings", ceilings);
        top.put("families", r.families());
        top.put("kernels", kernels);
        top.put("skipped_steps", r.skippedSteps());
        top.put("unavailable_families", r.unavailableFamilies());
        return JsonText.write(top);
    }
}

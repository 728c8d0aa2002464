package dev.ghostnet.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a figure was measured on, stated on every chart and report: the CPU as the OS names it, its
 * measured FMA peak at the preferred vector width, the load average when it was measured (these machines
 * are shared: a load well above zero says the figures are from a busy machine) and the date.
 *
 * @param cpu         e.g. {@code AMD EPYC (family 25, model 17)}, from /proc/cpuinfo
 * @param cpus        processors the JVM sees
 * @param vectorBits  the preferred float vector width, the width of {@code peakGmacs}
 * @param peakGmacs   measured fp32 FMA peak of one core, G multiply-accumulates per second
 * @param loadAverage the 1-minute load average at measurement (NaN where /proc/loadavg is missing)
 * @param date        UTC, minutes
 */
public record Machine(String cpu, int cpus, int vectorBits, double peakGmacs, double loadAverage, String date) {
    /** Above this 1-minute load the machine was doing other work than this run when it started. */
    static final double BUSY_LOAD = 1.0;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    /** Reads the CPU and load, measures the peak (two to ten seconds). */
    public static Machine measure() {
        int bits = FmaPeak.preferredBits();
        return withPeak(bits, FmaPeak.measureGmacs(bits));
    }

    /** This machine now, with a peak at {@code bits} the caller measured ({@link FmaPeak#measureGmacs}). */
    public static Machine withPeak(int bits, double peakGmacs) {
        return new Machine(cpuName(), Runtime.getRuntime().availableProcessors(), bits, peakGmacs,
                currentLoadAverage(), ZonedDateTime.now(ZoneOffset.UTC).format(DATE));
    }

    /** The fields for a JSON report, in a fixed order. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("cpus", cpus);
        m.put("vector_bits", vectorBits);
        m.put("fma_peak_gmacs_per_core", peakGmacs);
        m.put("load_average", loadAverage);
        m.put("date", date);
        return m;
    }

    /** One line for a chart or a table header. */
    public String caption() {
        String load = Double.isNaN(loadAverage) ? "load unknown"
                : String.format(Locale.ROOT, "load average %.1f on %d CPUs%s", loadAverage, cpus,
                        loadAverage > BUSY_LOAD ? " (busy: figures are low)" : "");
        return String.format(Locale.ROOT, "%s; FMA peak %.1f G MAC/s per core (%d-bit, measured in this run); %s; %s",
                cpu, peakGmacs, vectorBits, load, date);
    }

    static String cpuName() {
        try {
            return cpuName(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return System.getProperty("os.arch") + " CPU";
        }
    }

    /** {@code model name (family F, model M)} of the first processor in /proc/cpuinfo's lines. */
    static String cpuName(List<String> cpuinfo) {
        String name = field(cpuinfo, "model name");
        String family = field(cpuinfo, "cpu family");
        String model = field(cpuinfo, "model");
        if (name == null) return System.getProperty("os.arch") + " CPU";
        return family == null || model == null ? name : name + " (family " + family + ", model " + model + ")";
    }

    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    static double currentLoadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

package dev.ghostnet.bench.kernels;

import dev.ghostnet.machine.FmaPeak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a JMH CSV result ({@code -rf csv -rff FILE}) of {@link KernelBenchmarks} and {@link PeakFma} into a
 * Markdown table: G MAC/s, GFLOP/s (2 per MAC), share of the measured FMA peak and of the nominal
 * 67 G MAC/s (DESIGN.md), and the speed-up of the vector family over the scalar one from the same run.
 * Usage: {@code java -cp benchmarks.jar dev.ghostnet.bench.kernels.KernelReport results.csv}.
 */
public final class KernelReport {
    private static final double NOMINAL_PEAK_GMACS = 67.0;

    private KernelReport() {}

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = parse(lines.get(0));
        int benchmark = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int family = header.indexOf("Param: family");
        int shape = header.indexOf("Param: shape");
        double peak = Double.NaN;
        Map<String, Double> vector = new LinkedHashMap<>();
        Map<String, Double> scalar = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> row = parse(line);
            String name = row.get(benchmark);
            double opsPerSecond = Double.parseDouble(row.get(score));
            if (name.endsWith("PeakFma.fma")) {
                peak = opsPerSecond * PeakFma.macsPerCall() / 1e9;
                continue;
            }
            String kernel = name.substring(name.lastIndexOf('.') + 1);
            String key = kernel + " " + row.get(shape);
            (row.get(family).equals("scalar") ? scalar : vector).put(key, opsPerSecond);
        }
        System.out.printf("Measured FMA peak (PeakFma, %d-bit vectors): %.1f G MAC/s%n%n", FmaPeak.preferredBits(),
                peak);
        System.out.println("| kernel | shape | M MAC | vector G MAC/s | GFLOP/s | % measured peak | % of 67 G MAC/s"
                + " | scalar G MAC/s | vector / scalar |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Double> e : vector.entrySet()) {
            String[] parts = e.getKey().split(" ");
            String kernel = parts[0];
            LayerShape s = switch (kernel) {
                case "pointwise" -> LayerShape.pointwise(parts[1]);
                case "depthwise" -> LayerShape.depthwise(parts[1]);
                default -> LayerShape.dense(parts[1]);
            };
            double macs = s.macs(kernel.equals("depthwise"));
            double gmacs = e.getValue() * macs / 1e9;
            Double scalarOps = scalar.get(e.getKey());
            double scalarGmacs = scalarOps == null ? Double.NaN : scalarOps * macs / 1e9;
            System.out.printf("| %s | %s | %.2f | %.1f | %.1f | %.0f%% | %.0f%% | %.3f | %.0fx |%n", kernel, parts[1],
                    macs / 1e6, gmacs, 2 * gmacs, 100 * gmacs / peak, 100 * gmacs / NOMINAL_PEAK_GMACS, scalarGmacs,
                    gmacs / scalarGmacs);
        }
    }

    /** One CSV line as JMH writes it: fields quoted with double quotes, separated by commas. */
    private static List<String> parse(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}

package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The suite's goldens: one directory per width under target/goldens, written by make_goldens.py once per
 * JVM (the first test that asks starts all widths in the background, one Python at a time, so later widths
 * are ready by the time their tests run). Always regenerated rather than reused from an earlier build, so
 * they never go stale against the Python reference; never committed.
 */
final class TestGoldens {
    /** One input case of the matrix. */
    record Case(double widthMult, int batch, int height, int width) {
        @Override
        public String toString() {
            return "w" + widthMult + " " + GoldenCase.name(batch, height, width);
        }
    }

    /**
     * Widths 0.5 / 1.0 / 1.3; 224, 256, odd non-square 193x255 (ceil-mode strides, every border) and 32
     * (a 1x1 map at stride 32); batch 1 and 3. Every kernel path runs every case: the scalar path needs
     * about 0.4 s per 224 image here, so it does not have to be kept to the small cases.
     */
    static final List<Case> MATRIX = List.of(
            new Case(1.0, 1, 224, 224),
            new Case(1.0, 3, 224, 224),
            new Case(1.0, 1, 256, 256),
            new Case(1.0, 1, 193, 255),
            new Case(1.0, 3, 32, 32),
            new Case(0.5, 1, 224, 224),
            new Case(0.5, 3, 193, 255),
            new Case(0.5, 1, 32, 32),
            new Case(1.3, 1, 256, 256),
            new Case(1.3, 1, 193, 255),
            new Case(1.3, 3, 32, 32));

    private static final Path ROOT = Path.of("target", "goldens");
    private static final Map<Double, Future<GoldenSet>> SETS = new LinkedHashMap<>();
    private static final ExecutorService GENERATOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "make-goldens");
        t.setDaemon(true);
        return t;
    });

    private TestGoldens() {}

    /** The goldens of {@code widthMult}; fails the test (never skips it) when PyTorch is missing. */
    static GoldenSet forWidth(double widthMult) {
        Future<GoldenSet> set;
        synchronized (SETS) {
            if (SETS.isEmpty()) {
                List<Double> widths = MATRIX.stream().map(Case::widthMult).distinct().toList();
                // The asked-for width first, so the first test does not wait for the others.
                List<Double> order = new ArrayList<>(List.of(widthMult));
                widths.stream().filter(w -> w != widthMult).forEach(order::add);
                for (double w : order) SETS.put(w, GENERATOR.submit(() -> generate(w)));
            }
            set = SETS.get(widthMult);
        }
        if (set == null) return fail("width " + widthMult + " is not in the goldens matrix");
        try {
            return set.get();
        } catch (ExecutionException e) {
            return fail(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while waiting for the goldens");
        }
    }

    /** Keeps a report's table as target/parity/NAME.txt, for reading the measured ratios after a run. */
    static void saveReport(String name, ParityReport report) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "parity"));
        Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt"), report.table());
    }

    static GoldenCase caseOf(Case c) {
        return forWidth(c.widthMult()).testCase(c.batch(), c.height(), c.width());
    }

    private static GoldenSet generate(double widthMult) throws Exception {
        Path dir = ROOT.resolve("w" + widthMult);
        deleteTree(dir);
        List<String> args = new ArrayList<>(List.of("--width", Double.toString(widthMult), "--seed", "0"));
        for (Case c : MATRIX) {
            if (c.widthMult() == widthMult) args.addAll(List.of("--case", c.batch() + "x" + c.height() + "x" + c.width()));
        }
        return PyTorchReference.makeGoldens(dir, args);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

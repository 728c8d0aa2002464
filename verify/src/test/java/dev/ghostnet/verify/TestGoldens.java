package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ghostnet.engine.model.GhostNetConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The suite's goldens: one directory per version and width under target/goldens, written by make_goldens.py
 * once per JVM (the first test that asks starts all of them in the background, one Python at a time, v1's
 * first, so later sets are ready by the time their tests run). Always regenerated rather than reused from an
 * earlier build, so they never go stale against the Python reference; never committed.
 */
final class TestGoldens {
    /** One input case of a matrix. */
    record Case(GhostNetConfig.Version version, double widthMult, int batch, int height, int width) {
        Case(double widthMult, int batch, int height, int width) {
            this(GhostNetConfig.Version.V1, widthMult, batch, height, width);
        }

        @Override
        public String toString() {
            return (version == GhostNetConfig.Version.V1 ? "" : "v2 ") + "w" + widthMult + " "
                    + GoldenCase.name(batch, height, width);
        }

        private String set() {
            return version.name().toLowerCase(Locale.ROOT) + "-w" + widthMult;
        }
    }

    /**
     * GhostNet v1: widths 0.5 / 1.0 / 1.3; 224, 256, odd non-square 193x255 (ceil-mode strides, every border) and
     * 32 (a 1x1 map at stride 32); batch 1 and 3. Every kernel path runs every case: the scalar path needs
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

    /**
     * GhostNet v2, the whole product: widths 1.0 / 1.3 / 1.6 (timm's ghostnetv2_100/130/160) x 224, 256 and
     * 193x255 (the 2x2 pools floor odd maps, the gates upsample back to them) x batch 1 and 3. No 32x32: v2's
     * stride-32 map of 1x1 cannot be pooled 2x2.
     */
    static final List<Case> V2_MATRIX = v2Matrix();

    private static List<Case> v2Matrix() {
        List<Case> cases = new ArrayList<>();
        for (double width : new double[] {1.0, 1.3, 1.6}) {
            for (int[] hw : new int[][] {{224, 224}, {256, 256}, {193, 255}}) {
                for (int batch : new int[] {1, 3}) {
                    cases.add(new Case(GhostNetConfig.Version.V2, width, batch, hw[0], hw[1]));
                }
            }
        }
        return List.copyOf(cases);
    }

    private static final Path ROOT = Path.of("target", "goldens");
    private static final Map<String, Future<GoldenSet>> SETS = new LinkedHashMap<>();
    private static final ExecutorService GENERATOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "make-goldens");
        t.setDaemon(true);
        return t;
    });

    private TestGoldens() {}

    /** The v1 goldens of {@code widthMult}; fails the test (never skips it) when PyTorch is missing. */
    static GoldenSet forWidth(double widthMult) {
        return forSet(new Case(widthMult, 1, 1, 1).set());
    }

    /** The goldens {@code c} belongs to (its version and width). */
    static GoldenSet setOf(Case c) {
        return forSet(c.set());
    }

    private static GoldenSet forSet(String name) {
        Future<GoldenSet> set;
        synchronized (SETS) {
            if (SETS.isEmpty()) {
                Map<String, List<Case>> sets = new LinkedHashMap<>();
                for (Case c : MATRIX) sets.computeIfAbsent(c.set(), k -> new ArrayList<>()).add(c);
                for (Case c : V2_MATRIX) sets.computeIfAbsent(c.set(), k -> new ArrayList<>()).add(c);
                // The asked-for set first, so the first test does not wait for the others.
                List<String> order = new ArrayList<>(List.of(name));
                sets.keySet().stream().filter(k -> !k.equals(name)).forEach(order::add);
                for (String k : order) {
                    List<Case> cases = sets.get(k);
                    if (cases != null) SETS.put(k, GENERATOR.submit(() -> generate(k, cases)));
                }
            }
            set = SETS.get(name);
        }
        if (set == null) return fail("goldens " + name + " are not in a matrix");
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
        return setOf(c).testCase(c.batch(), c.height(), c.width());
    }

    private static GoldenSet generate(String name, List<Case> cases) throws Exception {
        Path dir = ROOT.resolve(name);
        deleteTree(dir);
        Case first = cases.getFirst();
        List<String> args = new ArrayList<>(List.of("--version", first.version().name().toLowerCase(Locale.ROOT),
                "--width", Double.toString(first.widthMult()), "--seed", "0"));
        for (Case c : cases) args.addAll(List.of("--case", c.batch() + "x" + c.height() + "x" + c.width()));
        return PyTorchReference.makeGoldens(dir, args);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

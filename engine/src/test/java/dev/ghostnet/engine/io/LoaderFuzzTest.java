package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loaders' fuzzing contract, in the default suite: every committed seed and crasher under
 * {@code resources/fuzz/<target>} and a bounded number of seeded mutations of the seeds end in a result
 * or a CheckpointException, within the per-input timeout and heap budget. Longer runs: {@code scripts/fuzz}
 * (coverage-guided, Jazzer) or this test with {@code -Dghostnet.fuzz.mutations=N -Dghostnet.fuzz.seed=S}.
 */
class LoaderFuzzTest {
    private static final int MUTATIONS = Integer.getInteger("ghostnet.fuzz.mutations", 2000);
    private static final long SEED = Long.getLong("ghostnet.fuzz.seed", 20_260_508L);
    private static final long TIMEOUT_MILLIS = 10_000;
    private static final Path FINDINGS = Path.of("target", "fuzz-findings").toAbsolutePath();

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(FuzzTarget.class)
    void corpusAndCrashersReplay(FuzzTarget target) throws IOException {
        List<Path> files = corpus(target);
        assertFalse(files.isEmpty(), "no corpus for " + target);
        int seedsAccepted = 0;
        try (FuzzRunner runner = new FuzzRunner(target, work, FINDINGS.resolve(target.directory()), TIMEOUT_MILLIS)) {
            for (Path file : files) {
                FuzzRunner.Finding finding = runner.run(Files.readAllBytes(file));
                if (finding != null) fail(file.getFileName() + ": " + describe(finding), finding.cause());
            }
            seedsAccepted = runner.report().accepted();
        }
        // The seeds are real files: most must load, or the mutants start from the wrong place.
        assertTrue(seedsAccepted >= 1, target + ": no seed of " + files + " loads");
    }

    @ParameterizedTest
    @EnumSource(FuzzTarget.class)
    void mutantsEndInAResultOrACheckpointException(FuzzTarget target) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (Path file : corpus(target)) {
            if (file.getFileName().toString().startsWith("seed-")) seeds.add(Files.readAllBytes(file));
        }
        Mutator mutator = new Mutator(target, seeds, SEED + target.ordinal());
        FuzzRunner.Report report;
        long start = System.nanoTime();
        try (FuzzRunner runner = new FuzzRunner(target, work, FINDINGS.resolve(target.directory()), TIMEOUT_MILLIS)) {
            for (int i = 0; i < MUTATIONS; i++) runner.run(mutator.next());
            report = runner.report();
        }
        System.out.printf("fuzz %s: %d mutants (seed %d), %d accepted, %d rejected, %d findings, %.1f s%n", target,
                report.inputs(), SEED + target.ordinal(), report.accepted(), report.rejected(), report.findings().size(),
                (System.nanoTime() - start) / 1e9);
        if (!report.findings().isEmpty()) {
            StringBuilder message = new StringBuilder(report.findings().size() + " findings for " + target + ":");
            report.findings().stream().limit(5).forEach(f -> message.append("\n  ").append(describe(f)));
            fail(message.toString(), report.findings().getFirst().cause());
        }
        // Not vacuous: the mutants reach both the accepting and the rejecting paths.
        assertTrue(report.rejected() > MUTATIONS / 10, target + ": only " + report.rejected() + " mutants rejected");
        assertTrue(report.accepted() > 0 || target == FuzzTarget.NPY && report.rejected() == MUTATIONS,
                target + ": no mutant loaded");
    }

    /** The seeds and crashers of {@code target}, in name order. */
    static List<Path> corpus(FuzzTarget target) throws IOException {
        Path dir;
        try {
            dir = Path.of(LoaderFuzzTest.class.getResource("/fuzz/" + target.directory()).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String describe(FuzzRunner.Finding f) {
        StringWriter trace = new StringWriter();
        if (f.cause() != null) f.cause().printStackTrace(new PrintWriter(trace));
        String firstFrames = trace.toString().lines().limit(6).reduce("", (a, b) -> a + "\n      " + b);
        return f.problem() + " (input of " + f.input().length + " bytes saved as " + f.savedAs() + ")" + firstFrames;
    }
}

package dev.ghostnet.bench.compare;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.engine.io.NpyException;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.machine.Machine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ghostnet bench --compare}: this engine against ONNX Runtime (same JVM, taking turns) and PyTorch
 * (own process) on the same seeded weights and inputs, row by row; plus, per row and engine, a fresh
 * process's time to first logits and peak memory, and every engine's logits checked against this one's.
 */
public final class Comparison {
    public record Options(GhostNetConfig.Version version, double widthMult, int size, int rounds, int itersPerTurn, int warmup, List<Row> rows,
                          Path cacheDir, boolean torch, boolean startup) {}

    private final Options options;
    private final PrintStream log;

    private Comparison(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Runs the whole comparison; progress goes to {@code log} (stderr), the report is returned. */
    public static ComparisonReport run(Options options, PrintStream log) throws Exception {
        return new Comparison(options, log).run();
    }

    private ComparisonReport run() throws Exception {
        PythonTools python = PythonTools.locate();
        Path cache = options.cacheDir() != null ? options.cacheDir() : python.root().resolve("bench/target/bench-cache");
        Artifacts artifacts = Artifacts.ensure(cache, python, options.version(), options.widthMult(), options.size(),
                options.rows().stream().map(Row::batch).toList());
        log.println("bench: measuring this core's FMA peak");
        Machine machine = Machine.measure();
        log.println("bench: " + machine.caption());
        Kernels kernels = KernelProvider.get();
        log.println("bench: ghostnet kernels " + kernels.name() + ", artifacts in " + artifacts.dir());
        String torchVersion = "-";
        List<ComparisonReport.RowResult> rows = new ArrayList<>();
        try (GhostNetModel model = GhostNetModel.load(artifacts.checkpoint(), kernels)) {
            for (Row row : options.rows()) {
                RowOutcome outcome = runRow(model, artifacts, python, row);
                rows.add(outcome.result());
                if (outcome.torchVersion() != null) torchVersion = outcome.torchVersion();
            }
        }
        String date = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss zzz yyyy", Locale.ROOT));
        ComparisonReport.Setup setup = new ComparisonReport.Setup(options.version(), options.widthMult(), options.size(), options.rounds(),
                options.itersPerTurn(), options.warmup(), kernels.name(), OrtEngine.version(), torchVersion, date);
        return new ComparisonReport(setup, rows, machine);
    }

    private record RowOutcome(ComparisonReport.RowResult result, String torchVersion) {}

    private RowOutcome runRow(GhostNetModel model, Artifacts artifacts, PythonTools python, Row row) throws Exception {
        Path inputFile = artifacts.input(row.batch());
        float[] input = readInput(inputFile);
        AbSchedule schedule = new AbSchedule(2, options.rounds(), options.itersPerTurn());
        float[] ghostLogits;
        float[] ortLogits;
        double[][] millis;
        log.println("bench: row " + row.threads() + " thread(s), batch " + row.batch() + ": warm-up, then "
                + options.rounds() + " rounds");
        try (GhostNetEngine ghost = new GhostNetEngine(model, row, options.size(), input);
             OrtEngine ort = new OrtEngine(artifacts.onnx(), row, options.size(), input)) {
            ghost.run();
            ghostLogits = ghost.logits();
            ortLogits = ort.logits();
            millis = InterleavedRunner.measure(List.of(ghost, ort), options.warmup(), schedule, InterleavedRunner.SETTLE,
                    (turn, engine) -> log.println("bench:   round " + (turn.round() + 1) + " " + engine + " done"));
        }
        Stats ghostStats = Stats.of(millis[0]).dividedBy(row.batch());
        Stats ortStats = Stats.of(millis[1]).dividedBy(row.batch());
        double ortMedian = ortStats.median();

        StartupMeasurement.Result ghostStart = startup(GhostNetEngine.NAME, artifacts.checkpoint(), inputFile, row);
        StartupMeasurement.Result ortStart = startup(OrtEngine.NAME, artifacts.onnx(), inputFile, row);
        List<ComparisonReport.EngineResult> engines = new ArrayList<>();
        engines.add(new ComparisonReport.EngineResult(GhostNetEngine.NAME, ghostStats, ghostStats.median() / ortMedian,
                ghostStart.firstLogitsMs(), ghostStart.peakRssMb(), Agreement.self(row.batch()), true));
        engines.add(new ComparisonReport.EngineResult(OrtEngine.NAME, ortStats, 1.0, ortStart.firstLogitsMs(),
                ortStart.peakRssMb(), Agreement.of(ghostLogits, ortLogits, row.batch()), true));
        String torchVersion = null;
        if (options.torch()) {
            log.println("bench: row " + row + ": pytorch (bench_torch.py, own process)");
            Path logitsOut = Files.createTempFile("ghostnet-bench-torch", ".npy");
            try {
                TorchBaseline.Result torch = TorchBaseline.run(python, artifacts.checkpoint(), inputFile, row,
                        schedule.samplesPerEngine(), options.warmup(), logitsOut);
                engines.add(new ComparisonReport.EngineResult(TorchBaseline.NAME, torch.perImageMs(),
                        torch.perImageMs().median() / ortMedian, torch.firstLogitsMs(), torch.peakRssMb(),
                        Agreement.of(ghostLogits, torch.logits(), row.batch()), false));
                torchVersion = torch.version();
            } finally {
                Files.deleteIfExists(logitsOut);
            }
        }
        return new RowOutcome(new ComparisonReport.RowResult(row, engines), torchVersion);
    }

    private StartupMeasurement.Result startup(String engine, Path model, Path input, Row row) throws BenchException {
        if (!options.startup()) {
            return new StartupMeasurement.Result(Double.NaN, Double.NaN);
        }
        log.println("bench: row " + row + ": " + engine + " startup in a fresh JVM");
        return StartupMeasurement.measure(engine, model, input, row.threads());
    }

    private static float[] readInput(Path file) throws BenchException {
        try {
            NpyArray array = Npy.read(file);
            return array.data();
        } catch (NpyException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }
}

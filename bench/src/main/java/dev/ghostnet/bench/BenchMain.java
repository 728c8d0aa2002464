package dev.ghostnet.bench;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.bench.compare.Comparison;
import dev.ghostnet.bench.compare.ComparisonChart;
import dev.ghostnet.bench.compare.ComparisonFormat;
import dev.ghostnet.bench.compare.ComparisonReport;
import dev.ghostnet.bench.compare.Row;
import dev.ghostnet.bench.profile.LayerProfiler;
import dev.ghostnet.bench.profile.ProfileChart;
import dev.ghostnet.bench.profile.ProfileFormat;
import dev.ghostnet.bench.profile.ProfileReport;
import dev.ghostnet.bench.roofline.RooflineBench;
import dev.ghostnet.bench.roofline.RooflineChart;
import dev.ghostnet.bench.roofline.RooflineFormat;
import dev.ghostnet.bench.roofline.RooflineReport;
import dev.ghostnet.kernels.KernelProvider;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Serial;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ghostnet bench}: the peer comparison ({@code --compare}), the per-layer profile ({@code --profile}),
 * every kernel against the machine's measured ceilings ({@code --kernels}) and JMH ({@code --jmh ARGS...},
 * everything after it goes to JMH); {@code --chart DIR} also draws the result as PNG and SVG. Usage errors
 * exit with 2, failures with 1, each as one line on stderr.
 */
@Command(name = "ghostnet bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks of the GhostNet engine.",
                "  --compare   this engine vs ONNX Runtime (taking turns in one JVM) and PyTorch (own process)",
                "  --profile   time per step of the execution plan, with %% of the FMA peak measured in the same run",
                "  --kernels   every kernel family on every kernel call of the plan: G MAC/s, %% of peak, roofline",
                "  --jmh ARGS  run JMH with ARGS, e.g. --jmh NetworkBenchmark"})
public final class BenchMain implements Callable<Integer> {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    static final class Mode {
        @Option(names = "--compare", required = true, description = "Peer comparison with ONNX Runtime and PyTorch.")
        boolean compare;

        @Option(names = "--profile", required = true, description = "Per-layer profile of this engine.")
        boolean profile;

        @Option(names = "--kernels", required = true,
                description = "Every kernel family (vector 512/256/128 bits, scalar) on every kernel call of the plan.")
        boolean kernels;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Option(names = "--v2", description = "GhostNet v2 (DFC attention) instead of v1.")
    boolean v2;

    @Option(names = "--width-mult", defaultValue = "1.0", paramLabel = "W", description = "Width multiplier (default: ${DEFAULT-VALUE}).")
    double widthMult;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PX", description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "R",
            description = "--compare: rounds of A B turns (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--iters", paramLabel = "N",
            description = "Timed iterations: per engine and round for --compare (default 20), per step for --profile "
                    + "(default 50); minimum timed calls per kernel and family for --kernels (default 20).")
    Integer iters;

    @Option(names = "--chart", paramLabel = "DIR",
            description = "Also draw the result as DIR/compare, DIR/profile or DIR/kernels-roofline .png and .svg.")
    Path chartDir;

    @Option(names = "--paths", defaultValue = "vector-512,vector-256,vector-128,scalar", paramLabel = "NAME,...",
            description = "--kernels: kernel families (default: ${DEFAULT-VALUE}; widths above the CPU's are skipped).")
    String paths;

    @Option(names = "--warmup-ms", defaultValue = "500", paramLabel = "MS",
            description = "--kernels: warm up each kernel and family at least this long, then until its fastest call "
                    + "has not improved for as long again (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(names = "--measure-ms", defaultValue = "100", paramLabel = "MS",
            description = "--kernels: time calls one by one for at least this long per kernel and family (default: ${DEFAULT-VALUE}).")
    long measureMs;

    /**
     * Untimed runs per engine before timing, after the engine's own warm-up that every session gets. Not yet
     * what a user's program would run: on a loaded 2-core machine (load 4) 30 runs after that warm-up gave
     * a median of 17.7 ms against 8.1 ms after 500, the JIT still compiling (BENCHMARKS.md, "Runtime"); the
     * comparison is about steady-state speed, so it waits for it.
     */
    static final int DEFAULT_WARMUP = 500;

    @Option(names = "--warmup", paramLabel = "W",
            description = "Untimed runs first, per engine, after the engine's own warm-up that every session gets "
                    + "(default: " + DEFAULT_WARMUP + " for --compare and --profile).")
    Integer warmup;

    @Option(names = "--rows", defaultValue = "1x1,2x1,2x8", paramLabel = "TxB,...",
            description = "--compare: THREADSxBATCH rows (default: ${DEFAULT-VALUE}).")
    String rows;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T", description = "--profile: threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "--profile: batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--no-torch", description = "--compare: leave PyTorch out.")
    boolean noTorch;

    @Option(names = "--no-startup", description = "--compare: skip the fresh-process startup and memory measurements.")
    boolean noStartup;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "--compare: where generated weights, inputs and ONNX go (default: bench/target/bench-cache).")
    Path cacheDir;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--jmh")) {
            // JMH parses its own options and forks JVMs with this class path; nothing of ours to add.
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(execute(args));
    }

    /** Parses and runs; returns the exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        BenchMain command = new BenchMain();
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("ghostnet bench: " + e.getMessage());
            err.println("Try 'ghostnet bench --help' for usage.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UsageException) {
                err.println("ghostnet bench: " + e.getMessage());
                return EXIT_USAGE;
            }
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            err.println("ghostnet bench: " + message.replace('\n', ' '));
            if (command.verbose) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        if (mode.compare) {
            ComparisonReport report = Comparison.run(compareOptions(), System.err);
            System.out.print(json ? ComparisonFormat.json(report) + "\n" : ComparisonFormat.table(report));
            if (chartDir != null) logCharts(ComparisonChart.write(report, chartDir));
        } else if (mode.profile) {
            ProfileReport report = LayerProfiler.run(profileOptions(), System.err);
            System.out.print(json ? ProfileFormat.json(report) + "\n" : ProfileFormat.table(report));
            if (chartDir != null) logCharts(ProfileChart.write(report, chartDir));
        } else {
            RooflineReport report = RooflineBench.run(kernelOptions(), System.err);
            System.out.print(json ? RooflineFormat.json(report) + "\n" : RooflineFormat.table(report));
            if (chartDir != null) logCharts(RooflineChart.write(report, chartDir));
        }
        System.out.flush();
        return 0;
    }

    private static void logCharts(List<Path> files) {
        System.err.println("bench: chart written to " + files.stream().map(Path::toString).toList());
    }

    Comparison.Options compareOptions() {
        checkCommon();
        int n = iters == null ? 20 : iters;
        int w = warmup == null ? DEFAULT_WARMUP : warmup;
        positive("--rounds", rounds);
        positive("--iters", n);
        notNegative("--warmup", w);
        List<Row> parsed;
        try {
            parsed = Row.parseList(rows);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rows: " + e.getMessage());
        }
        return new Comparison.Options(version(), widthMult, size, rounds, n, w, parsed, cacheDir, !noTorch, !noStartup);
    }

    LayerProfiler.Options profileOptions() {
        checkCommon();
        int n = iters == null ? 50 : iters;
        int w = warmup == null ? DEFAULT_WARMUP : warmup;
        positive("--iters", n);
        notNegative("--warmup", w);
        positive("--threads", threads);
        positive("--batch", batch);
        return new LayerProfiler.Options(version(), widthMult, size, batch, threads, n, w);
    }

    private GhostNetConfig.Version version() {
        return v2 ? GhostNetConfig.Version.V2 : GhostNetConfig.Version.V1;
    }

    RooflineBench.Options kernelOptions() {
        checkCommon();
        int n = iters == null ? 20 : iters;
        positive("--iters", n);
        if (warmup != null) throw new UsageException("--kernels warms up by time: use --warmup-ms, not --warmup");
        if (warmupMs < 0 || measureMs < 0) throw new UsageException("--warmup-ms and --measure-ms must not be negative");
        List<String> families = Arrays.stream(paths.split(",", -1)).map(String::strip).toList();
        for (String family : families) {
            if (!KernelProvider.PATHS.contains(family)) {
                throw new UsageException("--paths: unknown kernel family '" + family + "', expected some of "
                        + String.join(",", KernelProvider.PATHS));
            }
        }
        return new RooflineBench.Options(widthMult, size, families, warmupMs, n, measureMs);
    }

    private void checkCommon() {
        if (!(widthMult > 0) || widthMult > 4) {
            throw new UsageException("--width-mult must be in (0, 4], got " + widthMult);
        }
        if (size < 32 || size > 1024) {
            throw new UsageException("--size must be in [32, 1024], got " + size);
        }
    }

    private static void positive(String option, int value) {
        if (value <= 0) throw new UsageException(option + " must be positive, got " + value);
    }

    private static void notNegative(String option, int value) {
        if (value < 0) throw new UsageException(option + " must not be negative, got " + value);
    }

    /** A mistake in how the command was called, found after parsing (exit code 2). */
    static final class UsageException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

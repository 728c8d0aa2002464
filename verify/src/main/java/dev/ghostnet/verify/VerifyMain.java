package dev.ghostnet.verify;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.machine.Machine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ghostnet verify}: writes PyTorch goldens for one case, runs the engine on it with each requested
 * kernel path and prints the per-stage parity tables. Exit 0 when every path passes, 1 on a parity failure
 * or an error, 2 on a usage error; errors are one line on stderr.
 */
@Command(name = "ghostnet verify", mixinStandardHelpOptions = true, version = "ghostnet 0.1.0",
        description = "Check the engine against PyTorch stage by stage (needs /usr/bin/python3 with torch).")
public final class VerifyMain implements Callable<Integer> {
    /** The exit codes of every ghostnet command: failure 1, usage error 2. */
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    private static final Pattern SIZE = Pattern.compile("(\\d+)x(\\d+)");

    @Spec
    CommandSpec spec;

    @Option(names = "--width-mult", paramLabel = "W",
            description = "Width multiplier of the seeded model (default 1.0; with --weights inferred from the checkpoint).")
    Double widthMult;

    @Option(names = "--v2", description = "Seed a GhostNet v2 (DFC attention) instead of v1; a checkpoint's version "
            + "is read from its keys.")
    boolean v2;

    @Option(names = "--size", paramLabel = "HxW", defaultValue = "224x224", description = "Input size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--kernels", paramLabel = "NAME|all", defaultValue = "all",
            description = "Kernel path: one of " + "vector-512, vector-256, vector-128, scalar, or all (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the weights and input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--weights", paramLabel = "W.pth", description = "Check this checkpoint (.pth zip or legacy, .safetensors) instead of seeded weights.")
    Path weights;

    @Option(names = "--input", paramLabel = "X.npy", description = "Float32 NCHW input to use instead of a seeded one (sets --size and --batch).")
    Path input;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Engine threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--goldens", paramLabel = "DIR", description = "Write the goldens here and keep them (default: a temporary directory, deleted).")
    Path goldensDir;

    @Option(names = "--chart", paramLabel = "DIR",
            description = "Also draw every path's per-stage error ratio against the tolerance as DIR/" + ParityChart.NAME
                    + ".png and .svg.")
    Path chartDir;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command and returns its exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        VerifyMain command = new VerifyMain();
        CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("ghostnet verify: " + e.getMessage());
            err.println("Try 'ghostnet verify --help' for usage.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("ghostnet verify: " + String.valueOf(e.getMessage()).replace('\n', ' '));
            if (command.verbose) e.printStackTrace(err);
            return e instanceof UsageException ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) throw new UsageException("--size must be HxW, e.g. 224x224, got '" + size + "'");
        int height = Integer.parseInt(m.group(1));
        int width = Integer.parseInt(m.group(2));
        if (v2 && weights != null) {
            throw new UsageException("--v2 is for the seeded model; a checkpoint's version is read from its keys");
        }
        if (height < 1 || width < 1 || batch < 1 || threads < 1) {
            throw new UsageException("--size, --batch and --threads must be positive");
        }
        List<String> paths = kernels.equals("all") ? KernelProvider.PATHS : List.of(kernels);
        if (!KernelProvider.PATHS.containsAll(paths)) {
            throw new UsageException("--kernels must be one of " + KernelProvider.PATHS + " or all, got '" + kernels + "'");
        }
        for (Path file : new Path[] {weights, input}) {
            if (file != null && !Files.isRegularFile(file)) throw new UsageException(file + ": no such file");
        }

        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = goldensDir == null;
        Path dir = temporary ? Files.createTempDirectory("ghostnet-verify") : Files.createDirectories(goldensDir);
        try {
            long start = System.nanoTime();
            GoldenSet goldens = PyTorchReference.makeGoldens(dir, goldensArguments(height, width));
            GoldenCase c = onlyCase(dir);
            out.printf("PyTorch goldens for %s in %.1f s%s%n", c.name(), (System.nanoTime() - start) / 1e9,
                    temporary ? "" : " -> " + dir);
            Path checkpoint = weights != null ? weights : goldens.checkpoint("zip");
            boolean passed = true;
            int checked = 0;
            List<ParityReport> reports = new ArrayList<>();
            for (String path : paths) {
                Kernels family;
                try {
                    family = KernelProvider.of(path);
                } catch (IllegalArgumentException e) {
                    if (paths.size() == 1) throw e;
                    out.println("kernels " + path + ": skipped, " + e.getMessage());
                    continue;
                }
                try (GhostNetModel model = GhostNetModel.load(checkpoint, family)) {
                    ParityReport report = ParityCheck.run(model, c, goldens.featureStages(), Tolerance.DEFAULT, threads);
                    out.println();
                    out.print(report.table());
                    passed &= report.passed();
                    checked++;
                    reports.add(report);
                }
            }
            out.flush();
            if (checked == 0) throw new IllegalStateException("no kernel path could be checked");
            if (chartDir != null) {
                out.println("chart: " + ParityChart.write(reports, Machine.measure(), chartDir));
            }
            return passed ? 0 : EXIT_FAILURE;
        } finally {
            if (temporary) deleteTree(dir);
        }
    }

    private List<String> goldensArguments(int height, int width) {
        List<String> args = new ArrayList<>(List.of("--seed", Long.toString(seed)));
        if (widthMult != null) args.addAll(List.of("--width", widthMult.toString()));
        if (v2) args.addAll(List.of("--version", "v2"));
        if (weights != null) args.addAll(List.of("--weights", weights.toAbsolutePath().toString()));
        if (input != null) {
            args.addAll(List.of("--input", input.toAbsolutePath().toString()));
        } else {
            args.addAll(List.of("--case", batch + "x" + height + "x" + width));
        }
        return args;
    }

    private static GoldenCase onlyCase(Path dir) throws IOException, CheckpointException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> cases = entries.filter(Files::isDirectory).toList();
            if (cases.size() != 1) throw new CheckpointException(dir + ": expected one case directory, found " + cases.size());
            return GoldenCase.at(cases.getFirst());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A mistake in how the command was called (exit code 2), found after parsing. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

package dev.ghostnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The {@code ghostnet} command line. Usage errors exit with 2, failures with 1, each reported as one line on
 * stderr naming the file and the problem; {@code --verbose} adds the stack trace.
 */
@Command(name = "ghostnet", mixinStandardHelpOptions = true, version = "ghostnet 0.1.0",
        description = "GhostNet inference on the JVM (pure Java, Vector API).",
        subcommands = {ClassifyCommand.class, InfoCommand.class, RunCommand.class, CommandLine.HelpCommand.class})
public final class GhostNetCli {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    /** Whether stderr is a terminal, so that progress bars may be drawn there; only {@link #main} looks. */
    private final boolean stderrTerminal;

    private GhostNetCli(boolean stderrTerminal) {
        this.stderrTerminal = stderrTerminal;
    }

    public static void main(String[] args) {
        System.exit(commandLine(ProgressBar.stderrIsTerminal()).execute(args));
    }

    /** Runs the command line on the process's stdout and stderr and returns its exit code. */
    public static int execute(String... args) {
        return commandLine(false).execute(args);
    }

    /** Runs the command line writing to {@code out} and {@code err} (flushed before returning); returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(false);
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    boolean stderrIsTerminal() {
        return stderrTerminal;
    }

    static CommandLine commandLine(boolean stderrTerminal) {
        GhostNetCli top = new GhostNetCli(stderrTerminal);
        CommandLine cli = new CommandLine(top);
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("ghostnet: " + e.getMessage());
            err.println("Try 'ghostnet " + commandPath(e.getCommandLine()) + "--help' for usage.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UsageException) {
                err.println("ghostnet: " + e.getMessage());
                return EXIT_USAGE;
            }
            err.println("ghostnet: " + oneLine(e));
            if (top.verbose) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        });
        return cli;
    }

    private static String commandPath(CommandLine commandLine) {
        String name = commandLine.getCommandName();
        return "ghostnet".equals(name) ? "" : name + " ";
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** A mistake in how the command was called (exit code 2), found after parsing. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}

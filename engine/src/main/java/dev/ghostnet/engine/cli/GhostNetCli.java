package dev.ghostnet.engine.cli;

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
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class GhostNetCli {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        GhostNetCli top = new GhostNetCli();
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

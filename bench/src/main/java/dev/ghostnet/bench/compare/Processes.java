package dev.ghostnet.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs helper programs (Python scripts, child JVMs) to completion. */
final class Processes {
    private Processes() {}

    /**
     * Runs {@code command}, its stderr passed through to ours (so progress shows, and our stdout stays
     * clean for --json), and returns its stdout. A non-zero exit is a {@link BenchException} naming the
     * program and the last line it printed.
     */
    static String run(List<String> command) throws BenchException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            if (code != 0) {
                throw new BenchException(programName(command) + " failed with exit code " + code + lastLine(out));
            }
            return out;
        } catch (IOException e) {
            throw new BenchException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running " + programName(command), e);
        }
    }

    /** The script or main class a command runs, for messages: the first argument that names one. */
    static String programName(List<String> command) {
        for (String part : command) {
            if (part.endsWith(".py") || part.startsWith("dev.ghostnet.")) {
                return part.substring(part.lastIndexOf('/') + 1);
            }
        }
        return command.getFirst();
    }

    private static String lastLine(String out) {
        String trimmed = out.strip();
        if (trimmed.isEmpty()) return "";
        return ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }
}

package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs make_checkpoints.py with the system PyTorch. A missing torch fails the tests rather than skipping
 * them: the readers are only trusted when they match what torch itself wrote.
 */
final class PythonFixtures {
    private PythonFixtures() {}

    static final String PYTHON = System.getenv().getOrDefault("GHOSTNET_PYTHON", "/usr/bin/python3");

    /** One expected tensor: key, safetensors dtype name, shape, dense little-endian bytes. */
    record Expected(String key, String dtype, long[] shape, byte[] bytes) {}

    static void requireTorch() {
        String out = run(List.of(PYTHON, "-c", "import torch, numpy"), false);
        if (out != null) {
            fail(PYTHON + " cannot import torch and numpy; run scripts/provision-pytorch.sh (or set GHOSTNET_PYTHON). "
                    + out);
        }
    }

    private static Path fixtures;

    /**
     * The directory holding every fixture, written once per test JVM (starting torch takes seconds) under
     * the module's build directory, fresh on each run.
     */
    static synchronized Path dir() throws IOException {
        if (fixtures == null) {
            requireTorch();
            Path dir = Path.of("target", "checkpoint-fixtures").toAbsolutePath();
            if (Files.exists(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
                }
            }
            Files.createDirectories(dir);
            run(List.of(PYTHON, script().toString(), "write", dir.toString()), true);
            fixtures = dir;
        }
        return fixtures;
    }

    /** Runs the script's roundtrip check on (.npy Java wrote, .npy to write back) pairs; fails with Python's output. */
    static void roundtrip(List<Path> inOutPairs) {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString(), "roundtrip"));
        inOutPairs.forEach(p -> command.add(p.toString()));
        run(command, true);
    }

    static List<Expected> manifest(Path file) throws IOException {
        List<Expected> expected = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            long[] shape = f[2].isEmpty() ? new long[0] : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
            expected.add(new Expected(f[0], f[1], shape, HexFormat.of().parseHex(f[3])));
        }
        return expected;
    }

    private static Path script() {
        try {
            return Path.of(PythonFixtures.class.getResource("make_checkpoints.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command; returns null on success, else its output (or fails the test when {@code failHard}). */
    private static String run(List<String> command, boolean failHard) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("timed out: " + command);
            }
            if (p.exitValue() == 0) return null;
            String text = new String(output, StandardCharsets.UTF_8);
            if (failHard) fail(command + " exited with " + p.exitValue() + ":\n" + text);
            return text;
        } catch (IOException e) {
            if (failHard) fail("cannot run " + command + ": " + e);
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }
}

package dev.ghostnet.verify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python reference (verify/python/make_goldens.py, packaged with these classes) on the system
 * PyTorch: {@code $GHOSTNET_PYTHON}, else {@code /usr/bin/python3}.
 */
public final class PyTorchReference {
    public static final String PYTHON = System.getenv().getOrDefault("GHOSTNET_PYTHON", "/usr/bin/python3");
    /** The scripts run from here and the modules they import; they must sit in one directory. */
    private static final List<String> SCRIPTS = List.of("make_goldens.py", "ghostnet.py", "formats.py",
            "fashion_reference.py", "train_fashion.py");
    private static final long TIMEOUT_MINUTES = 10;

    /** Thrown when PyTorch is missing or the script fails; the message is one line. */
    public static final class ReferenceException extends Exception {
        public ReferenceException(String message) {
            super(message);
        }
    }

    private PyTorchReference() {}

    /** Fails unless the interpreter imports torch and numpy; names the script that provisions them. */
    public static void requireTorch() throws ReferenceException {
        Result r = run(List.of(PYTHON, "-c", "import torch, numpy"));
        if (r.exit != 0) {
            throw new ReferenceException(PYTHON + " cannot import torch and numpy (" + r.lastLine()
                    + "); run scripts/provision-pytorch.sh, or set GHOSTNET_PYTHON to a Python with torch >= 1.13");
        }
    }

    /**
     * Writes goldens into {@code out} (created, or overwritten file by file): {@code arguments} are
     * make_goldens.py's own, e.g. {@code --width 1.0 --case 1x224x224}.
     */
    public static GoldenSet makeGoldens(Path out, List<String> arguments) throws ReferenceException, IOException {
        requireTorch();
        List<String> command = new ArrayList<>(List.of(PYTHON, scriptDir().resolve("make_goldens.py").toString(),
                "--out", out.toString()));
        command.addAll(arguments);
        Result r = run(command);
        if (r.exit != 0) {
            throw new ReferenceException("make_goldens.py " + String.join(" ", arguments) + " failed (exit " + r.exit
                    + "): " + r.lastLine());
        }
        return new GoldenSet(out);
    }

    /**
     * Runs another of the packaged scripts ({@code fashion_reference.py ...}) to completion and returns its
     * output; a failure throws with the script's last line.
     */
    public static String runScript(String script, List<String> arguments) throws ReferenceException, IOException {
        requireTorch();
        List<String> command = new ArrayList<>(List.of(PYTHON, scriptDir().resolve(script).toString()));
        command.addAll(arguments);
        Result r = run(command);
        if (r.exit != 0) {
            throw new ReferenceException(script + " " + String.join(" ", arguments) + " failed (exit " + r.exit + "): "
                    + r.lastLine());
        }
        return r.output;
    }

    /** The scripts' directory: the packaged copies when they are plain files, else copies in a temp dir. */
    private static Path scriptDir() throws IOException {
        URL url = PyTorchReference.class.getResource("python/make_goldens.py");
        if (url == null) throw new IOException("make_goldens.py is not on the classpath (build the verify module)");
        if (url.getProtocol().equals("file")) {
            try {
                return Path.of(url.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IOException("bad script location " + url, e);
            }
        }
        Path dir = Files.createTempDirectory("ghostnet-python");
        dir.toFile().deleteOnExit();
        for (String script : SCRIPTS) {
            try (InputStream in = PyTorchReference.class.getResourceAsStream("python/" + script)) {
                if (in == null) throw new IOException(script + " is not on the classpath");
                Path target = dir.resolve(script);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }

    private record Result(int exit, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    private static Result run(List<String> command) throws ReferenceException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Keep __pycache__ out of the build output the scripts are run from.
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        try {
            Process p = builder.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ReferenceException("timed out after " + TIMEOUT_MINUTES + " min: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferenceException("interrupted while running " + String.join(" ", command));
        }
    }
}

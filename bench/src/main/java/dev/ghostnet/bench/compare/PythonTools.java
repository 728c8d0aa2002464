package dev.ghostnet.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Python reference scripts and the interpreter that can import torch are: {@code verify/python}
 * of the source tree this bench was built from, and {@code $GHOSTNET_PYTHON} or {@code /usr/bin/python3}
 * (the python3 on PATH may not see Debian's torch).
 */
public record PythonTools(Path python, Path scriptDir) {
    static final String SCRIPT_DIR = "verify/python";

    /** Finds the scripts by walking up from where this class was loaded (classes dir or benchmarks.jar). */
    public static PythonTools locate() throws BenchException {
        String env = System.getenv("GHOSTNET_PYTHON");
        Path python = Path.of(env == null || env.isBlank() ? "/usr/bin/python3" : env);
        Path start;
        try {
            start = Path.of(PythonTools.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new BenchException("cannot tell where the bench classes were loaded from: " + e.getMessage(), e);
        }
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT_DIR).resolve("make_goldens.py"))) {
                return new PythonTools(python, p.resolve(SCRIPT_DIR));
            }
        }
        throw new BenchException("cannot find " + SCRIPT_DIR + "/make_goldens.py above " + start);
    }

    /** The repository root (the parent of verify/python), for the default cache directory. */
    public Path root() {
        return scriptDir.getParent().getParent();
    }

    /** The command prefix that runs {@code name} from the script directory. */
    List<String> script(String name) {
        return List.of(python.toString(), scriptDir.resolve(name).toString());
    }
}

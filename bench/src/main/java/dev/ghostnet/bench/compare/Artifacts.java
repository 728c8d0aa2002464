package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.model.GhostNetConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The files every engine runs on, written by the project's Python scripts (verify/python) into a cache
 * directory on first use: the seeded, calibrated checkpoint and one input per batch size
 * ({@code make_goldens.py}), and its ONNX export ({@code export_onnx.py}). Deterministic from the seed, so
 * a cached copy is as good as a new one; a directory is only used once its {@code complete} marker exists.
 */
public final class Artifacts {
    /** make_goldens.py's default seed: weights from it, inputs from seed + 1. */
    static final int SEED = 0;
    private static final String COMPLETE = "complete";

    private final Path dir;
    private final int size;

    private Artifacts(Path dir, int size) {
        this.dir = dir;
        this.size = size;
    }

    public Path dir() { return dir; }
    public Path checkpoint() { return dir.resolve("model.pth"); }
    public Path onnx() { return dir.resolve("model.onnx"); }

    /** The float32 NCHW input of {@code batch} images (the first image is the same for every batch). */
    public Path input(int batch) {
        return dir.resolve("b" + batch + "_" + size + "x" + size).resolve("input.npy");
    }

    /**
     * Cache sub-directory name for a version, width, size and set of batches, e.g. {@code w1.0_224_b1-8} (v1) or
     * {@code v2_w1.0_224_b1-8}.
     */
    static String key(GhostNetConfig.Version version, double widthMult, int size, SortedSet<Integer> batches) {
        StringBuilder key = new StringBuilder(version == GhostNetConfig.Version.V1 ? "" : versionArgument(version) + "_");
        key.append(String.format(Locale.ROOT, "w%s_%d_b", widthMult, size));
        boolean first = true;
        for (int b : batches) {
            if (!first) key.append('-');
            key.append(b);
            first = false;
        }
        return key.toString();
    }

    /** Returns the artifacts for these parameters, generating them under {@code cacheRoot} if missing. */
    public static Artifacts ensure(Path cacheRoot, PythonTools python, GhostNetConfig.Version version, double widthMult,
                                   int size, List<Integer> batches) throws BenchException {
        SortedSet<Integer> sorted = new TreeSet<>(batches);
        Path dir = cacheRoot.resolve(key(version, widthMult, size, sorted));
        Artifacts artifacts = new Artifacts(dir, size);
        if (Files.exists(dir.resolve(COMPLETE))) {
            return artifacts;
        }
        System.err.println("bench: generating seeded weights, inputs and ONNX export in " + dir + " (first use)");
        List<String> goldens = new ArrayList<>(python.script("make_goldens.py"));
        goldens.addAll(List.of("--out", dir.toString(), "--version", versionArgument(version),
                "--width", Double.toString(widthMult),
                "--seed", Integer.toString(SEED), "--no-fp64"));
        for (int b : sorted) {
            goldens.addAll(List.of("--case", b + "x" + size + "x" + size));
        }
        Processes.run(goldens);
        List<String> export = new ArrayList<>(python.script("export_onnx.py"));
        export.addAll(List.of("--weights", artifacts.checkpoint().toString(), "--out", artifacts.onnx().toString(),
                "--height", Integer.toString(size), "--width", Integer.toString(size), "--batch", "1", "--opset", "13"));
        Processes.run(export);
        try {
            Files.writeString(dir.resolve(COMPLETE), "make_goldens.py + export_onnx.py, seed " + SEED + "\n");
        } catch (IOException e) {
            throw new BenchException(dir + ": cannot write the cache marker: " + e.getMessage(), e);
        }
        return artifacts;
    }

    /** make_goldens.py's name of a version (export_onnx.py and the PyTorch baseline infer it from the keys). */
    private static String versionArgument(GhostNetConfig.Version version) {
        return version.name().toLowerCase(Locale.ROOT);
    }
}

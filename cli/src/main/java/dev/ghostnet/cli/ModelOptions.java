package dev.ghostnet.cli;

import dev.ghostnet.GhostNet;
import dev.ghostnet.ModelLoadException;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The options every command that runs a model shares: which weights, how many threads. */
final class ModelOptions {
    /** Seed of the embedded default model: an untrained, seeded width-1.0 GhostNet. */
    static final long DEFAULT_SEED = 20200101L;
    static final int IMAGENET_CLASSES = 1000;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Checkpoint: PyTorch .pth (zip or legacy) or .safetensors. "
                    + "Default: the embedded seeded width-1.0 model (untrained).")
    Path weights;

    @Option(names = "--threads", paramLabel = "T", description = "Threads per inference (default: available cores).")
    Integer threads;

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t <= 0) {
            throw new GhostNetCli.UsageException("--threads must be positive, got " + t);
        }
        return t;
    }

    boolean isDefaultModel() {
        return weights == null;
    }

    /** Loads the checkpoint, or builds the default seeded model and says on {@code err} that it is untrained. */
    GhostNet open(PrintWriter err) throws ModelLoadException {
        if (weights == null) {
            warnUntrained(err);
            return GhostNet.seeded(1.0, IMAGENET_CLASSES, DEFAULT_SEED);
        }
        return GhostNet.load(weights);
    }

    private static void warnUntrained(PrintWriter err) {
        err.println("ghostnet: no --weights given: using the embedded seeded GhostNet 1.0 (UNTRAINED, "
                + "its predictions are meaningless)");
        err.flush();
    }
}

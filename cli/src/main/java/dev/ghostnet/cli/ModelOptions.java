package dev.ghostnet.cli;

import dev.ghostnet.GhostNet;
import dev.ghostnet.KernelChoice;
import dev.ghostnet.LoadOptions;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.kernels.KernelProvider;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The options every command that runs a model shares: which weights (and their class names and
 * preprocessing), how many threads.
 */
final class ModelOptions {
    /** Seed of the embedded untrained model: a seeded width-1.0 ImageNet GhostNet. */
    static final long DEFAULT_SEED = 20200101L;
    static final int IMAGENET_CLASSES = 1000;
    /**
     * System property naming the checkpoint used without {@code --weights}; the {@code ghostnet} launcher
     * sets it to the bundled Fashion-MNIST model. Unset, the embedded untrained model is the default.
     */
    static final String DEFAULT_WEIGHTS_PROPERTY = "ghostnet.default.weights";

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Checkpoint: PyTorch .pth (zip or legacy) or .safetensors, float32/float16/bfloat16. "
                    + "Default: the bundled GhostNet trained on Fashion-MNIST (10 clothing classes).")
    Path weights;

    @Option(names = "--config", paramLabel = "FILE",
            description = "timm-style config.json with the class names and preprocessing "
                    + "(default: the config.json beside the checkpoint, else ImageNet's transform).")
    Path config;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line in class-index order (overrides the config's).")
    Path labels;

    @Option(names = "--untrained",
            description = "Use the embedded seeded GhostNet 1.0 (1000 ImageNet classes, UNTRAINED: meaningless predictions).")
    boolean untrained;

    @Option(names = "--threads", paramLabel = "T", description = "Threads per inference (default: available cores).")
    Integer threads;

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t <= 0) {
            throw new GhostNetCli.UsageException("--threads must be positive, got " + t);
        }
        return t;
    }

    /** True when the embedded seeded model runs: {@code --untrained}, or no weights given and no default. */
    boolean isDefaultModel() {
        return checkpoint() == null;
    }

    /** The checkpoint to load: {@code --weights}, else the default one, else none (the seeded model). */
    Path checkpoint() {
        if (untrained) {
            if (weights != null || config != null || labels != null) {
                throw new GhostNetCli.UsageException("--untrained cannot be combined with --weights, --config or --labels");
            }
            return null;
        }
        if (weights != null) {
            return weights;
        }
        String fallback = System.getProperty(DEFAULT_WEIGHTS_PROPERTY);
        if (fallback == null && (config != null || labels != null)) {
            throw new GhostNetCli.UsageException("--config and --labels need --weights");
        }
        return fallback == null ? null : Path.of(fallback);
    }

    /**
     * Loads the checkpoint with its class names and preprocessing, or builds the seeded model and says on
     * {@code err} that it is untrained.
     */
    GhostNet open(PrintWriter err) throws ModelLoadException {
        return open(err, false);
    }

    /**
     * {@link #open(PrintWriter)} on the scalar kernels when {@code shortJob} and the system property
     * {@code ghostnet.kernels} does not name a family.
     */
    GhostNet open(PrintWriter err, boolean shortJob) throws ModelLoadException {
        Path file = checkpoint();
        if (file == null) {
            warnUntrained(err);
            return GhostNet.seeded(1.0, IMAGENET_CLASSES, DEFAULT_SEED);
        }
        boolean scalar = shortJob && System.getProperty(KernelProvider.KERNELS_PROPERTY) == null;
        return GhostNet.load(file, LoadOptions.defaults().withConfig(config).withLabels(labels)
                .withKernels(scalar ? KernelChoice.SCALAR : KernelChoice.AUTO));
    }

    private static void warnUntrained(PrintWriter err) {
        err.println("ghostnet: using the embedded seeded GhostNet 1.0 (UNTRAINED, its predictions are meaningless)");
        err.flush();
    }
}

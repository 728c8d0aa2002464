package dev.ghostnet.cli;

import dev.ghostnet.Classification;
import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.ImageResult;
import dev.ghostnet.Interpolation;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.Prediction;
import dev.ghostnet.SessionConfig;
import dev.ghostnet.engine.io.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code ghostnet classify}: the top classes of PNG and JPEG images, one line per image on stdout. A file
 * that cannot be classified is reported as one line on stderr and the others still are; the exit code
 * is then 1.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify PNG and JPEG images (files, or directories of .png/.jpg/.jpeg files) into "
                + "the model's classes; one line per image on stdout.")
final class ClassifyCommand implements Callable<Integer> {
    /** More images than this get a progress bar (on a terminal). */
    static final int PROGRESS_MIN_IMAGES = 4;
    /**
     * Jobs of at most this many images run on the scalar kernels unless {@code -Dghostnet.kernels} says
     * otherwise ({@link dev.ghostnet.KernelChoice#SCALAR}: a fresh JVM's first inferences are faster on
     * them): measured in BENCHMARKS.md, "Runtime".
     */
    static final int SCALAR_MAX_IMAGES = 4;

    enum Filter {
        bilinear(Interpolation.BILINEAR), bicubic(Interpolation.BICUBIC);

        final Interpolation interpolation;

        Filter(Interpolation interpolation) {
            this.interpolation = interpolation;
        }
    }

    @Spec
    CommandSpec spec;

    @ParentCommand
    GhostNetCli top;

    @Mixin
    ModelOptions model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Image files and directories of images.")
    List<Path> inputs;

    @Option(names = "--topk", defaultValue = "5", paramLabel = "K", description = "Classes per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--json", description = "One JSON object per line instead of text.")
    boolean json;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B",
            description = "Images run together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--interpolation", paramLabel = "FILTER",
            description = "Resize filter: ${COMPLETION-CANDIDATES} (default: the model config's, else bilinear; "
                    + "timm uses bicubic for its ImageNet GhostNet).")
    Filter interpolation;

    @Option(names = "--recursive", description = "Also classify images in subdirectories of the directories given.")
    boolean recursive;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr (default: when stderr is a terminal and there are more than "
                    + PROGRESS_MIN_IMAGES + " images).")
    Boolean progress;

    @Override
    public Integer call() throws ModelLoadException {
        if (topK <= 0) {
            throw new GhostNetCli.UsageException("--topk must be positive, got " + topK);
        }
        if (batch <= 0) {
            throw new GhostNetCli.UsageException("--batch must be positive, got " + batch);
        }
        int threads = model.threads();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageInputs images = ImageInputs.expand(inputs, recursive);
        images.errors().forEach(e -> err.println("ghostnet: " + e));
        int failed = images.errors().size();
        if (images.files().isEmpty()) {
            return GhostNetCli.EXIT_FAILURE;
        }
        boolean showProgress = progress != null ? progress
                : top.stderrIsTerminal() && images.files().size() > PROGRESS_MIN_IMAGES;
        ProgressBar bar = new ProgressBar(err, images.files().size(), showProgress);
        try (GhostNet net = model.open(err, images.files().size() <= SCALAR_MAX_IMAGES);
             GhostNetSession session = net.newSession(new SessionConfig(threads, Math.min(batch, images.files().size()),
                     interpolation == null ? net.preprocessing()
                             : net.preprocessing().withInterpolation(interpolation.interpolation)))) {
            List<Path> files = images.files();
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
                List<ImageResult> results = session.classify(chunk, topK);
                bar.hide();
                for (ImageResult result : results) {
                    switch (result) {
                        case ImageResult.Classified c -> out.println(json
                                ? jsonLine(c.source(), c.classification(), net.isUntrained())
                                : textLine(c.source(), c.classification(), net.isUntrained()));
                        case ImageResult.Failed f -> {
                            err.println("ghostnet: " + f.error().getMessage());
                            if (top.verbose) {
                                f.error().printStackTrace(err);
                            }
                            failed++;
                        }
                    }
                }
                out.flush();
                err.flush();
                bar.advance(chunk.size());
            }
            bar.finish();
        }
        return failed > 0 ? GhostNetCli.EXIT_FAILURE : 0;
    }

    /** {@code path: tabby 0.412, tiger cat 0.301, ...}, flagged when the model is untrained. */
    static String textLine(String source, Classification result, boolean untrained) {
        StringJoiner top = new StringJoiner(", ", source + ": " + (untrained ? "[UNTRAINED model] " : ""), "");
        for (Prediction p : result.top()) {
            top.add(p.label() + " " + String.format(Locale.ROOT, "%.3f", p.probability()));
        }
        return top.toString();
    }

    /** {@code {"source": ..., "untrained": ..., "top": [{"index": ..., "label": ..., "probability": ...}, ...]}}. */
    static String jsonLine(String source, Classification result, boolean untrained) {
        StringJoiner top = new StringJoiner(",", "[", "]");
        for (Prediction p : result.top()) {
            top.add("{\"index\":" + p.index() + ",\"label\":" + JsonText.quote(p.label())
                    + ",\"probability\":" + p.probability() + "}");
        }
        return "{\"source\":" + JsonText.quote(source) + ",\"untrained\":" + untrained + ",\"top\":" + top + "}";
    }
}

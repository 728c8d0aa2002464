package dev.ghostnet.engine.cli;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.FeatureMap;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.Layouts;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code ghostnet run}: a checkpoint on an input tensor from a .npy file, logits (and features) to .npy files. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on an input tensor (.npy, float32) and write the logits as .npy.")
final class RunCommand implements Callable<Integer> {
    enum Layout { nchw, nhwc }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "Input batch, float32, (N, 3, H, W) for nchw or (N, H, W, 3) for nhwc, already normalised.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Logits (N, classes), float32.")
    Path output;

    @Option(names = "--layout", defaultValue = "nchw",
            description = "Layout of the input and of the feature maps written: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Layout layout;

    @Option(names = "--features",
            description = "Also write the stride-8, -16 and -32 feature maps next to the output as <output>.strideS.npy.")
    boolean features;

    @Override
    public Integer call() throws CheckpointException {
        NpyArray x = Npy.read(input);
        long[] s = x.shape();
        if (s.length != 4) {
            throw new GhostNetCli.UsageException(input + ": expected a 4-d array, got shape " + Arrays.toString(s));
        }
        int channelAxis = layout == Layout.nchw ? 1 : 3;
        if (s[channelAxis] != 3) {
            throw new GhostNetCli.UsageException(input + ": expected 3 channels on axis " + channelAxis + " for "
                    + layout + " layout, got shape " + Arrays.toString(s));
        }
        int batch = Math.toIntExact(s[0]);
        int height = Math.toIntExact(layout == Layout.nchw ? s[2] : s[1]);
        int width = Math.toIntExact(layout == Layout.nchw ? s[3] : s[2]);
        try (GhostNetModel net = model.load(spec.commandLine().getErr());
             InferenceSession session = new InferenceSession(net,
                     new SessionOptions(batch, height, width, model.threads()))) {
            if (layout == Layout.nchw) {
                session.setInputNchw(x.data());
            } else {
                session.input().copyFrom(x.data());
            }
            Tensor logits = session.run();
            Npy.write(output, new NpyArray(new long[] {batch, logits.channels()}, logits.toArray()));
            if (features) {
                for (FeatureMap f : session.features()) {
                    Tensor t = f.tensor();
                    long[] shape = layout == Layout.nchw
                            ? new long[] {t.batch(), t.channels(), t.height(), t.width()}
                            : new long[] {t.batch(), t.height(), t.width(), t.channels()};
                    float[] values = layout == Layout.nchw ? Layouts.toNchw(t) : t.toArray();
                    Npy.write(siblingOf(output, "stride" + f.stride()), new NpyArray(shape, values));
                }
            }
        }
        return 0;
    }

    private static Path siblingOf(Path output, String tag) {
        String name = output.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return output.resolveSibling(stem + "." + tag + ".npy");
    }
}

package dev.ghostnet.cli;

import dev.ghostnet.FeatureMap;
import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.ImageTensor;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.Preprocessing;
import dev.ghostnet.SessionConfig;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;
import dev.ghostnet.engine.io.NpyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ghostnet run}: a checkpoint on an input tensor from a .npy file, logits (and features) to .npy files. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on an input tensor (.npy, float32) and write the logits as .npy.")
final class RunCommand implements Callable<Integer> {
    enum LayoutOption { nchw, nhwc }

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
    LayoutOption layout;

    @Option(names = "--features",
            description = "Also write the stride-8, -16 and -32 feature maps next to the output as <output>.strideS.npy.")
    boolean features;

    @Override
    public Integer call() throws ModelLoadException, NpyException {
        NpyArray x = Npy.read(input);
        long[] s = x.shape();
        if (s.length != 4) {
            throw new GhostNetCli.UsageException(input + ": expected a 4-d array, got shape " + Arrays.toString(s));
        }
        int channelAxis = layout == LayoutOption.nchw ? 1 : 3;
        if (s[channelAxis] != 3) {
            throw new GhostNetCli.UsageException(input + ": expected 3 channels on axis " + channelAxis + " for "
                    + layout + " layout, got shape " + Arrays.toString(s));
        }
        int batch = Math.toIntExact(s[0]);
        int height = Math.toIntExact(layout == LayoutOption.nchw ? s[2] : s[1]);
        int width = Math.toIntExact(layout == LayoutOption.nchw ? s[3] : s[2]);
        float[] data = x.data();
        ImageTensor tensor = layout == LayoutOption.nchw ? ImageTensor.nchw(data) : ImageTensor.nhwc(data);
        SessionConfig config = new SessionConfig(model.threads(), batch, Preprocessing.imagenet())
                .withInputSize(height, width);
        try (GhostNet net = model.open(spec.commandLine().getErr());
             GhostNetSession session = net.newSession(config)) {
            float[] logits = session.logits(tensor);
            Npy.write(output, new NpyArray(new long[] {batch, net.numClasses()}, logits));
            if (features) {
                List<FeatureMap> maps = session.features(tensor);
                for (FeatureMap f : maps) {
                    long[] shape = layout == LayoutOption.nchw
                            ? new long[] {f.images(), f.channels(), f.height(), f.width()}
                            : new long[] {f.images(), f.height(), f.width(), f.channels()};
                    Npy.write(siblingOf(output, "stride" + f.stride()), new NpyArray(shape, f.values()));
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

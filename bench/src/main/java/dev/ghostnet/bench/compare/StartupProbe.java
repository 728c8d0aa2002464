package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;
import dev.ghostnet.engine.model.GhostNetModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM the startup measurement starts: does what a user's first call does (load the model, read
 * the input, run once), prints {@code logits top1=K} the moment the logits exist, then
 * {@code vmhwm_kb=N}, its peak resident memory so far. The parent times process start to the first line.
 *
 * <p>Usage: {@code StartupProbe ghostnet|onnxruntime MODEL INPUT.npy THREADS}.
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: StartupProbe ghostnet|onnxruntime MODEL INPUT.npy THREADS");
            System.exit(2);
        }
        Path model = Path.of(args[1]);
        NpyArray input = Npy.read(Path.of(args[2]));
        long[] shape = input.shape();
        Row row = new Row(Integer.parseInt(args[3]), Math.toIntExact(shape[0]));
        int size = Math.toIntExact(shape[2]);
        float[] logits;
        switch (args[0]) {
            case GhostNetEngine.NAME -> {
                try (GhostNetModel net = GhostNetModel.load(model);
                     GhostNetEngine engine = new GhostNetEngine(net, row, size, input.data())) {
                    engine.run();
                    logits = engine.logits();
                }
            }
            case OrtEngine.NAME -> {
                try (OrtEngine engine = new OrtEngine(model, row, size, input.data())) {
                    logits = engine.logits();
                }
            }
            default -> {
                System.err.println("StartupProbe: unknown engine '" + args[0] + "'");
                System.exit(2);
                return;
            }
        }
        System.out.println("logits top1=" + Agreement.argmax(logits, 0, logits.length / row.batch()));
        System.out.flush();
        System.out.println("vmhwm_kb=" + peakResidentKb());
        System.out.flush();
    }

    /** VmHWM from /proc/self/status (Linux), or -1 where there is none. */
    static long peakResidentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}

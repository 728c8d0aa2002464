package dev.ghostnet.cli;

import dev.ghostnet.GhostNet;
import dev.ghostnet.ModelInfo;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.Plan;
import dev.ghostnet.PlanStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ghostnet info}: the layer table of the execution plan a session builds (one row per kernel call),
 * its totals, and the memory the model and a session take.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the model's layer table (the session's execution plan), parameter and multiply-add "
                + "totals, and memory: packed weights, activation buffers, heap footprint.")
final class InfoCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})(?:x(\\d{1,5}))?");

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--size", defaultValue = "224x224", paramLabel = "HxW",
            description = "Input height x width, or one number for a square (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B",
            description = "Batch the session is planned for (default: ${DEFAULT-VALUE}); MACs are per image.")
    int batch;

    @Override
    public Integer call() throws ModelLoadException {
        int[] hw = parseSize(size);
        if (batch <= 0) {
            throw new GhostNetCli.UsageException("--batch must be positive, got " + batch);
        }
        int threads = model.threads();
        PrintWriter out = spec.commandLine().getOut();
        try (GhostNet net = model.open(spec.commandLine().getErr())) {
            ModelInfo info = net.info();
            Plan plan = net.plan(batch, hw[0], hw[1], threads);
            out.println("model        " + info.architecture() + (model.isDefaultModel()
                    ? ", embedded seeded weights (UNTRAINED)" : ", " + model.checkpoint()));
            out.println("kernels      " + info.kernels());
            out.println("input        " + batch + " x " + hw[0] + " x " + hw[1] + " x 3 (NHWC), " + threads
                    + " thread" + (threads == 1 ? "" : "s"));
            out.println();
            printLayerTable(out, plan.steps());
            out.println();
            HeapFootprint heap = HeapFootprint.of(net);
            out.println("parameters   " + group(info.parameterCount()) + " (as PyTorch counts them: BatchNorm scale "
                    + "and shift, not its running statistics)");
            out.println("weights      " + (info.weightBytes() > 0
                    ? megabytes(info.weightBytes()) + " off-heap, packed, BatchNorm folded (" + group(info.weightBytes())
                            + " bytes)"
                    : "on the Java heap, BatchNorm folded (the " + info.kernels()
                            + " kernels keep them in arrays: counted in heap below)"));
            out.println("activations  " + megabytes(plan.activationBytes()) + " off-heap for batch " + batch + " at "
                    + hw[0] + "x" + hw[1] + " (" + group(plan.activationBytes()) + " bytes)");
            out.println("heap         " + megabytes(heap.bytes()) + " in " + group(heap.objects())
                    + " objects reachable from the model (JOL" + heap.caveat() + ")");
        }
        return 0;
    }

    /**
     * One row per step: layer, op, output shape (per image), parameters, weight multiply-adds per image, and the
     * fused group it runs in (blank for none).
     */
    static void printLayerTable(PrintWriter out, List<PlanStep> steps) {
        int nameWidth = "layer".length();
        int opWidth = "op".length();
        int shapeWidth = "output".length();
        for (PlanStep s : steps) {
            nameWidth = Math.max(nameWidth, s.layer().length());
            opWidth = Math.max(opWidth, s.op().length());
            shapeWidth = Math.max(shapeWidth, s.outputShape().length());
        }
        String row = "%-" + nameWidth + "s  %-" + opWidth + "s  %-" + shapeWidth + "s  %11s  %10s  %5s";
        printRow(out, row, "layer", "op", "output", "params", "MACs", "fused");
        long params = 0;
        long macs = 0;
        for (PlanStep s : steps) {
            printRow(out, row, s.layer(), s.op(), s.outputShape(), group(s.parameters()),
                    millions(s.macsPerImage()), s.fusedGroup() < 0 ? "" : "g" + s.fusedGroup());
            params += s.parameters();
            macs += s.macsPerImage();
        }
        printRow(out, row, "total", steps.size() + " steps", "", group(params), millions(macs), "");
    }

    private static void printRow(PrintWriter out, String format, Object... cells) {
        out.println(String.format(Locale.ROOT, format, cells).stripTrailing());
    }

    static int[] parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new GhostNetCli.UsageException("--size must be HxW or N (e.g. 224x224), got '" + text + "'");
        }
        int h = Integer.parseInt(m.group(1));
        int w = m.group(2) == null ? h : Integer.parseInt(m.group(2));
        if (h == 0 || w == 0) {
            throw new GhostNetCli.UsageException("--size must be positive, got '" + text + "'");
        }
        return new int[] {h, w};
    }

    static String group(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String millions(long value) {
        return String.format(Locale.ROOT, "%.2f M", value / 1e6);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}

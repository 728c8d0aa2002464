package dev.ghostnet.verify;

import java.util.List;
import java.util.Optional;

/**
 * The parity of one engine run with PyTorch on one case: every stage of a stage-by-stage run, the
 * outputs of a plain run (logits and the stride-8/16/32 feature maps), and each image's top-5.
 */
public record ParityReport(String caseName, String kernels, Tolerance tolerance, List<StageParity> stages,
                           List<StageParity> outputs, List<TopK> topK) {
    public ParityReport {
        stages = List.copyOf(stages);
        outputs = List.copyOf(outputs);
        topK = List.copyOf(topK);
    }

    public boolean passed() {
        return stages.stream().allMatch(StageParity::passed) && outputs.stream().allMatch(StageParity::passed)
                && topK.stream().allMatch(TopK::passed);
    }

    /** The first stage, in execution order, that is out of tolerance: where a bug starts. */
    public Optional<StageParity> firstFailedStage() {
        return stages.stream().filter(s -> !s.passed()).findFirst();
    }

    /** The largest engine/torch error ratio over the stages (the factor the tolerance has to cover). */
    public double worstRatio() {
        return stages.stream().filter(s -> s.problem() == null).mapToDouble(StageParity::ratio).max().orElse(0);
    }

    /** One line per stage and output, then the top-5 lines and a verdict. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("case ").append(caseName).append(", kernels ").append(kernels)
                .append("; pass iff engine err <= ").append(tolerance).append('\n');
        String header = String.format("%-22s %-16s %9s %10s %9s %10s %7s %10s  %s%n", "stage", "shape", "max|fp64|",
                "engine err", "rel err", "torch err", "ratio", "limit", "result");
        out.append(header);
        for (StageParity s : stages) out.append(row(s));
        out.append("plain run (session.run(), features and logits):\n");
        for (StageParity s : outputs) out.append(row(s));
        for (TopK t : topK) out.append("top-5 ").append(t).append('\n');
        out.append(passed() ? "PASS" : "FAIL" + firstFailedStage().map(s -> ": first wrong stage " + s.stage()).orElse(""))
                .append(String.format(" (worst engine/torch error ratio %.2f)%n", worstRatio()));
        return out.toString();
    }

    private static String row(StageParity s) {
        return String.format("%-22s %-16s %9.3f %10.2e %9.1e %10.2e %7.2f %10.2e  %s%n", s.stage(), shape(s.shape()),
                s.maxMagnitude(), s.engineError(), s.relativeError(), s.torchError(), s.ratio(), s.limit(), s.verdict());
    }

    private static String shape(long[] shape) {
        StringBuilder b = new StringBuilder();
        for (long d : shape) b.append(b.isEmpty() ? "" : "x").append(d);
        return b.toString();
    }
}

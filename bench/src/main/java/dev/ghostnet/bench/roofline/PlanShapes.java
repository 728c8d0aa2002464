package dev.ghostnet.bench.roofline;

import dev.ghostnet.bench.roofline.KernelCase.Kind;
import dev.ghostnet.engine.runtime.InferenceSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distinct kernel calls of an execution plan, read from its steps' descriptions (the plan is the one
 * source of what the network runs; the bench does not restate GhostNet's layer table). Steps without
 * multiply-accumulates (adds, pooling) and descriptions this parser does not know are listed as skipped,
 * never silently dropped.
 */
final class PlanShapes {
    private static final Pattern POINTWISE = Pattern.compile("pointwise (\\d+)->(\\d+) @(\\d+)x(\\d+)( \\+residual)?");
    private static final Pattern DEPTHWISE =
            Pattern.compile("depthwise (\\d+)x\\1/(\\d+) (\\d+) @(\\d+)x(\\d+)( \\+residual)?( \\+shortcut| \\+copy)?");
    private static final Pattern CONV = Pattern.compile("conv (\\d+)x\\1/(\\d+) (\\d+)->(\\d+) @(\\d+)x(\\d+)");
    private static final Pattern LINEAR = Pattern.compile("linear (\\d+)->(\\d+)");
    private static final Pattern SQUEEZE_EXCITE = Pattern.compile("squeeze-excite (\\d+)->(\\d+) @(\\d+)x(\\d+)");

    record Shapes(List<KernelCase> cases, List<String> skipped) {}

    private PlanShapes() {}

    static Shapes of(List<InferenceSession.StepInfo> steps) {
        Map<String, KernelCase> cases = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (InferenceSession.StepInfo step : steps) {
            KernelCase c = parse(step.description());
            if (c == null) {
                if (!skipped.contains(step.description())) skipped.add(step.description());
            } else {
                cases.merge(c.description(), c, (a, b) -> a.plusLayer());
            }
        }
        return new Shapes(List.copyOf(cases.values()), List.copyOf(skipped));
    }

    /**
     * The case of one step description, or null. Descriptions give the output size; a strided kernel's input
     * is taken as {@code stride x} that (what GhostNet's even sizes give; an odd input one smaller has the
     * same output and nearly the same work).
     */
    static KernelCase parse(String description) {
        Matcher m;
        if ((m = POINTWISE.matcher(description)).matches()) {
            return new KernelCase(Kind.POINTWISE, description, 1, i(m, 3), i(m, 4), i(m, 1), i(m, 2), 1, 1,
                    m.group(5) != null);
        }
        if ((m = DEPTHWISE.matcher(description)).matches()) {
            int stride = i(m, 2);
            return new KernelCase(Kind.DEPTHWISE, description, 1, i(m, 4) * stride, i(m, 5) * stride, i(m, 3), i(m, 3),
                    i(m, 1), stride, m.group(6) != null);
        }
        if ((m = CONV.matcher(description)).matches()) {
            int stride = i(m, 2);
            return new KernelCase(Kind.CONV, description, 1, i(m, 5) * stride, i(m, 6) * stride, i(m, 3), i(m, 4),
                    i(m, 1), stride, false);
        }
        if ((m = LINEAR.matcher(description)).matches()) {
            return new KernelCase(Kind.LINEAR, description, 1, 1, 1, i(m, 1), i(m, 2), 1, 1, false);
        }
        if ((m = SQUEEZE_EXCITE.matcher(description)).matches()) {
            return new KernelCase(Kind.SQUEEZE_EXCITE, description, 1, i(m, 3), i(m, 4), i(m, 1), i(m, 2), 1, 1, false);
        }
        return null;
    }

    private static int i(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}

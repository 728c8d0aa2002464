package dev.ghostnet.verify;

import dev.ghostnet.engine.io.NpyException;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.FeatureMap;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.Layouts;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a compiled model on a goldens case and compares it with PyTorch (see {@link Tolerance} for when a
 * stage passes). Two runs in one fresh session: first {@link InferenceSession#run()}, the path users take,
 * whose logits and stride-8/16/32 features are checked (a fresh session, so nothing can be left over from
 * an earlier run); then the stage-by-stage run, each of whose outputs is checked, so a failure names the
 * first wrong layer instead of just "the logits are off".
 */
public final class ParityCheck {
    public static final int TOP_K = 5;

    private ParityCheck() {}

    public static ParityReport run(GhostNetModel model, GoldenCase c, Map<Integer, String> featureStages,
                                   Tolerance tolerance, int threads) throws IOException {
        SessionOptions options = new SessionOptions(c.batch(), c.height(), c.width(), threads);
        try (InferenceSession session = new InferenceSession(model, options)) {
            session.setInputNchw(c.input());
            Tensor logits = session.run();
            List<StageParity> outputs = new ArrayList<>();
            for (FeatureMap f : session.features()) {
                String expected = featureStages.get(f.stride());
                String label = "stride " + f.stride() + " = " + f.stage();
                outputs.add(f.stage().equals(expected) ? compare(label, f.tensor(), c, expected, tolerance)
                        : StageParity.failed(label, shape(f.tensor()), "the reference's stride-" + f.stride()
                                + " map is " + expected));
            }
            for (var stride : featureStages.entrySet()) {
                if (session.features().stream().noneMatch(f -> f.stride() == stride.getKey())) {
                    outputs.add(StageParity.failed("stride " + stride.getKey(), new long[0], "the engine has no such feature map"));
                }
            }
            StageParity logitsParity = compare("logits", logits, c, "logits", tolerance);
            outputs.add(logitsParity);
            // Ties may reorder only within the logits' error, and never by more than the tolerance allows:
            // otherwise wrong logits would excuse any ranking.
            List<TopK> topK = logitsParity.problem() != null ? List.of() : topK(Layouts.toNchw(logits),
                    c.stage("logits"), Math.min(logitsParity.engineError(), logitsParity.limit()));

            Map<String, Tensor> copies = new LinkedHashMap<>();
            // The observed tensor is only valid during the call; copy it into a dense NHWC tensor of our own.
            try (Arena arena = Arena.ofConfined()) {
                session.run((stage, t) -> {
                    Tensor copy = Tensor.allocate(arena, t.batch(), t.height(), t.width(), t.channels());
                    copy.copyFrom(t);
                    copies.put(stage, copy);
                });
                List<StageParity> stages = new ArrayList<>();
                List<String> golden = c.stageNames();
                for (var e : copies.entrySet()) {
                    stages.add(golden.contains(e.getKey()) ? compare(e.getKey(), e.getValue(), c, e.getKey(), tolerance)
                            : StageParity.failed(e.getKey(), shape(e.getValue()), "PyTorch has no such stage"));
                }
                for (String stage : golden) {
                    if (!copies.containsKey(stage)) {
                        stages.add(StageParity.failed(stage, c.stage(stage).shape(), "the engine never reported this stage"));
                    }
                }
                return new ParityReport(c.name(), model.kernels().name(), tolerance, stages, outputs, topK);
            }
        }
    }

    private static StageParity compare(String label, Tensor engine, GoldenCase c, String stage, Tolerance tolerance)
            throws NpyException {
        GoldenCase.Golden g = c.stage(stage);
        long[] engineShape = shape(engine);
        // PyTorch keeps pooled, head and logits as (N, C); the engine as (N, 1, 1, C).
        long[] goldenShape = g.shape().length == 2 ? new long[] {g.shape()[0], g.shape()[1], 1, 1} : g.shape();
        if (!Arrays.equals(engineShape, goldenShape)) {
            return StageParity.failed(label, g.shape(), "engine shape " + Arrays.toString(engineShape) + " (NCHW), torch "
                    + Arrays.toString(g.shape()));
        }
        return StageParity.compare(label, g.shape(), Layouts.toNchw(engine), g.fp32(), g.fp64(), tolerance);
    }

    private static List<TopK> topK(float[] logits, GoldenCase.Golden golden, double engineError) {
        int batch = (int) golden.shape()[0];
        int classes = (int) golden.shape()[1];
        List<TopK> out = new ArrayList<>();
        for (int n = 0; n < batch; n++) {
            out.add(TopK.compare(n, Arrays.copyOfRange(logits, n * classes, (n + 1) * classes),
                    Arrays.copyOfRange(golden.fp64(), n * classes, (n + 1) * classes), Math.min(TOP_K, classes),
                    engineError));
        }
        return out;
    }

    /** NCHW shape of an engine tensor. */
    private static long[] shape(Tensor t) {
        return new long[] {t.batch(), t.channels(), t.height(), t.width()};
    }
}

package dev.ghostnet.bench.compare;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.machine.Machine;
import dev.ghostnet.engine.model.GhostNetConfig;

import java.util.List;

/** Everything one comparison run measured, and the machine it ran on, ready to print as a table or JSON. */
public record ComparisonReport(Setup setup, List<RowResult> rows, Machine machine) {
    /** How the run was made, printed above the figures so they are never read without it. */
    public record Setup(GhostNetConfig.Version version, double widthMult, int size, int rounds, int itersPerTurn, int warmup, String kernels,
                        String ortVersion, String torchVersion, String date) {}

    /**
     * One engine on one row. Times are per image in ms; {@code ratioToOrt} is this engine's median over
     * ONNX Runtime's; {@code interleaved} is false for PyTorch, which runs in its own process after the
     * rounds; {@code vsGhostnet} compares its logits with this engine's on the same input.
     */
    public record EngineResult(String engine, Stats perImageMs, double ratioToOrt, double firstLogitsMs,
                               double peakRssMb, Agreement vsGhostnet, boolean interleaved) {}

    public record RowResult(Row row, List<EngineResult> engines) {
        /** This engine's median over ONNX Runtime's, the figure the targets are stated in. */
        public double ghostnetOverOrt() {
            return engines.stream().filter(e -> e.engine().equals(GhostNetEngine.NAME)).findFirst()
                    .map(EngineResult::ratioToOrt).orElse(Double.NaN);
        }
    }
}

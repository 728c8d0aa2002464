package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;

import org.junit.jupiter.api.Test;

/** A deliberately wrong depthwise kernel fails the parity check, which names the stage where it starts. */
class WrongKernelTest {
    private static final TestGoldens.Case CASE = new TestGoldens.Case(1.0, 3, 32, 32);

    private static ParityReport check(Kernels kernels) throws Exception {
        GoldenSet goldens = TestGoldens.forWidth(CASE.widthMult());
        try (GhostNetModel model = GhostNetModel.load(goldens.checkpoint("zip"), kernels)) {
            ParityReport report = ParityCheck.run(model, TestGoldens.caseOf(CASE), goldens.featureStages(),
                    Tolerance.DEFAULT, 1);
            TestGoldens.saveReport(kernels.name() + "_" + CASE, report);
            return report;
        }
    }

    @Test
    void borderColumnErrorOfOneInTenThousandIsCaughtAtTheFirstGhostModule() throws Exception {
        ParityReport report = check(PerturbedKernels.borderColumnOff(KernelProvider.get()));
        assertFalse(report.passed(), report.table());
        assertTrue(report.stages().getFirst().passed(), "the stem has no depthwise conv\n" + report.table());
        StageParity first = report.firstFailedStage().orElseThrow();
        // blocks.0.0's ghost1 cheap op is the network's first stride-1 depthwise conv.
        assertEquals("blocks.0.0", first.stage(), report.table());
        assertEquals(0, first.firstBad()[3], "the first bad element is in column w = 0\n" + report.table());
        assertTrue(first.ratio() > 10, "a 1e-4 relative error is far outside fp32 rounding\n" + report.table());
        assertTrue(report.table().contains("FAIL: first wrong stage blocks.0.0"), report.table());
    }

    @Test
    void strideTwoDepthwiseShiftedByOnePixelIsCaughtAtItsFirstBlock() throws Exception {
        ParityReport report = check(PerturbedKernels.strideTwoShifted(KernelProvider.get()));
        assertFalse(report.passed(), report.table());
        // blocks.1.0 is the first stride-2 bottleneck; the stages before it are untouched and must pass.
        assertEquals("blocks.1.0", report.firstFailedStage().orElseThrow().stage(), report.table());
        assertTrue(report.stages().get(1).passed(), report.table());
        assertFalse(report.outputs().getLast().passed(), "a shifted feature map also changes the logits\n" + report.table());
    }
}

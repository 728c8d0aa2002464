package dev.ghostnet.bench.roofline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ghostnet.engine.runtime.InferenceSession;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanShapesTest {
    private static InferenceSession.StepInfo step(String description) {
        return new InferenceSession.StepInfo("layer", description, 0, 0, 0, 1, 1, 1, -1);
    }

    @Test
    void parsesEveryMultiplyAccumulateKind() {
        KernelCase pw = PlanShapes.parse("pointwise 16->24 @56x56 +residual");
        assertEquals(new KernelCase(KernelCase.Kind.POINTWISE, "pointwise 16->24 @56x56 +residual", 1, 56, 56, 16, 24,
                1, 1, true), pw);
        KernelCase dw = PlanShapes.parse("depthwise 5x5/2 72 @28x28");
        assertEquals(56, dw.height());
        assertEquals(28, dw.outHeight());
        assertEquals(72, dw.in());
        assertEquals(5, dw.kernel());
        KernelCase stem = PlanShapes.parse("conv 3x3/2 3->16 @112x112");
        assertEquals(224, stem.width());
        assertEquals(16, stem.out());
        assertEquals(KernelCase.Kind.LINEAR, PlanShapes.parse("linear 960->1280").kind());
        assertEquals(KernelCase.Kind.SQUEEZE_EXCITE, PlanShapes.parse("squeeze-excite 72->20 @28x28").kind());
        assertNull(PlanShapes.parse("add 8 @112x112"));
        assertNull(PlanShapes.parse("depthwise 3x5/1 8 @4x4"));
    }

    @Test
    void distinctCallsInPlanOrderWithTheirLayerCount() {
        PlanShapes.Shapes shapes = PlanShapes.of(List.of(step("pointwise 16->8 @112x112"), step("add 8 @112x112"),
                step("depthwise 3x3/1 8 @112x112"), step("pointwise 16->8 @112x112"), step("add 8 @112x112"),
                step("global average pool 960 @7x7")));
        assertEquals(List.of("pointwise 16->8 @112x112", "depthwise 3x3/1 8 @112x112"),
                shapes.cases().stream().map(KernelCase::description).toList());
        assertEquals(2, shapes.cases().getFirst().layers());
        assertEquals(List.of("add 8 @112x112", "global average pool 960 @7x7"), shapes.skipped());
    }

    @Test
    void macsAndCompulsoryBytes() {
        KernelCase pw = PlanShapes.parse("pointwise 16->8 @112x112");
        assertEquals(112L * 112 * 16 * 8, pw.macs());
        assertEquals(4L * (112 * 112 * 16 + 112 * 112 * 8 + 16 * 8 + 8), pw.bytes());
        KernelCase dw = PlanShapes.parse("depthwise 3x3/2 48 @56x56 +residual");
        assertEquals(56L * 56 * 48 * 9, dw.macs());
        assertEquals(4L * (112 * 112 * 48 + 56 * 56 * 48 + 48 * 9 + 48 + 56 * 56 * 48), dw.bytes());
        KernelCase fc = PlanShapes.parse("linear 960->1280");
        assertEquals(960L * 1280, fc.macs());
        assertEquals(960.0 * 1280 / (4.0 * (960 + 1280 + 960 * 1280 + 1280)), fc.intensity(), 1e-12);
        KernelCase se = PlanShapes.parse("squeeze-excite 72->20 @28x28");
        assertEquals(2L * 72 * 20 + 2L * 28 * 28 * 72, se.macs());
    }
}

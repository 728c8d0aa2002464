package dev.ghostnet.engine.runtime;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up's contract: its minimum runs unless its budget ran out, once per kernel family, off by property. */
class WarmupTest {
    @Test
    void runsAtLeastTheMinimumWithinItsBudgetThenOncePerFamily() {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(0.5), 3, KernelProvider.get())) {
            Warmup.Report report = Warmup.run(model, 1);
            // The budget wins over the minimum: on a machine loaded enough, a run in the interpreter takes seconds.
            assertTrue(report.runs() >= Warmup.MIN_RUNS || report.nanos() >= Warmup.BUDGET_NANOS,
                    report.runs() + " runs in " + report.nanos() + " ns");
            Warmup.Report spent = Warmup.run(model, 1, 0);
            assertEquals(1, spent.runs(), "an exhausted budget stops after the first run");
            assertFalse(spent.quiet());
            Warmup.ensure(model, 1);
            assertNull(Warmup.ensure(model, 2), "a family is warmed up once per JVM");
        }
    }

    @Test
    void theSystemPropertyTurnsItOff() {
        String before = System.getProperty(Warmup.PROPERTY);
        try {
            System.setProperty(Warmup.PROPERTY, "false");
            assertFalse(Warmup.enabled());
            System.setProperty(Warmup.PROPERTY, " FALSE ");
            assertFalse(Warmup.enabled());
            System.setProperty(Warmup.PROPERTY, "true");
            assertTrue(Warmup.enabled());
        } finally {
            if (before == null) System.clearProperty(Warmup.PROPERTY);
            else System.setProperty(Warmup.PROPERTY, before);
        }
    }

    @Test
    void leavesTheModelUsable() {
        try (GhostNetModel model = GhostNetModel.seeded(GhostNetConfig.imagenet(0.5), 3, KernelProvider.get());
             InferenceSession session = new InferenceSession(model, new SessionOptions(1, 32, 32, 1))) {
            session.input().fill(0.25f);
            float[] before = session.run().toArray();
            Warmup.Report report = Warmup.run(model, 2);
            assertNotNull(report);
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(session.run().toArray()));
        }
    }
}

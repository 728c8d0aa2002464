package dev.ghostnet.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak's short variant for the default suite: 800 inferences, 8 sessions and 2 models opened and
 * closed, memory within {@link SoakBounds} after warm-up. The long one is {@code scripts/soak}.
 */
class SoakTest {
    @Test
    void memoryStaysFlatWhileSessionsAndModelsComeAndGo() throws Exception {
        List<Soak.Sample> samples = Soak.run(800, 8, 400);
        System.out.print("soak (short)\n" + Soak.table(samples));
        assertEquals(9, samples.size());
        assertNull(SoakBounds.check(samples), Soak.table(samples));
    }
}

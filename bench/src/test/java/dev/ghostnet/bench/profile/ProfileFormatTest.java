package dev.ghostnet.bench.profile;

import dev.ghostnet.engine.io.JsonParser;
import dev.ghostnet.machine.Machine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileFormatTest {
    /**
     * Twelve steps: step i takes (i % 5 + 1) ms; pointwise steps do 2 M MACs, the others none. Steps 2..4 (3 + 4 + 5
     * ms one by one) are a fused group that takes 9 ms.
     */
    static ProfileReport report() {
        List<ProfileReport.StepTime> steps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String op = i % 2 == 0 ? "pointwise 16->32 @56x56" : "add 16 @56x56";
            steps.add(new ProfileReport.StepTime(i, "blocks." + i, op, i % 2 == 0 ? 2_000_000 : 0, i % 5 + 1));
        }
        ProfileReport.Setup setup = new ProfileReport.Setup(1.0, 224, 1, 1, 50, 20, "scalar", "today");
        Machine machine = new Machine("Test CPU", 2, 512, 50.0, 0.1, "2026-12-01 20:00 UTC");
        return new ProfileReport(setup, steps, List.of(new ProfileReport.GroupTime(0, 2, 5, 6, 9.0)), 30.0, machine);
    }

    @Test
    void topTenSlowestFirstPlanOrderAmongEquals() {
        List<Integer> order = ProfileFormat.top(report()).stream().map(ProfileReport.StepTime::index).toList();
        assertEquals(List.of(4, 9, 3, 8, 2, 7, 1, 6, 11, 0), order);
    }

    @Test
    void kindsSumTheirSteps() {
        List<ProfileFormat.KindTotal> kinds = ProfileFormat.byKind(report());
        // pointwise: steps 0,2,..,10 -> 1+3+5+2+4+1 = 16 ms; add: 1,3,..,11 -> 2+4+1+3+5+2 = 17 ms
        assertEquals(new ProfileFormat.KindTotal("add", 6, 0, 17), kinds.get(0));
        assertEquals(new ProfileFormat.KindTotal("pointwise", 6, 12_000_000, 16), kinds.get(1));
    }

    @Test
    void rateAndShare() {
        ProfileReport.StepTime step = report().steps().get(2);
        assertEquals(2_000_000 / 3e-3 / 1e9, step.gmacPerSecond(), 1e-12);
        assertEquals(0, report().steps().get(1).gmacPerSecond());
        String table = ProfileFormat.table(report());
        assertTrue(table.contains("   2 blocks.2"), table);
        assertTrue(table.contains("Top 10 steps by time"), table);
        assertTrue(table.contains("sum of steps 33.000 ms"), table);
        // step 2: 2 M MACs in 3 ms = 0.667 G MAC/s = 1.3% of the 50 G MAC/s peak
        assertTrue(table.lines().anyMatch(l -> l.startsWith("   2 blocks.2") && l.endsWith("9.1%    1.3%")), table);
        assertTrue(table.contains("FMA peak 50.0 G MAC/s"), table);
        // pointwise: 12 M MACs in 16 ms = 0.75 G MAC/s = 1.5% of peak
        assertTrue(table.lines().anyMatch(l -> l.startsWith("pointwise") && l.endsWith("1.5%")), table);
    }

    @Test
    void fusedGroupsAgainstTheirSteps() throws Exception {
        String table = ProfileFormat.table(report());
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s+g0 2\\.\\.4\\s+blocks\\.2\\s+blocks\\.4\\s+6\\s+9\\.0000"
                + "\\s+12\\.0000\\s+0\\.750")), table);
        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(ProfileFormat.json(report()));
        Map<?, ?> group = (Map<?, ?>) ((List<?>) json.get("fused_groups")).getFirst();
        assertEquals(2L, group.get("from_step"));
        assertEquals(5L, group.get("to_step"));
        assertEquals(12L, group.get("steps_ms"));
    }

    @Test
    void jsonListsEveryStep() throws Exception {
        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(ProfileFormat.json(report()));
        assertEquals(12, ((List<?>) json.get("steps")).size());
        assertEquals(33L, json.get("step_sum_ms"));
        assertEquals(50L, json.get("peak_gmacs"));
        assertEquals(50L, ((Map<?, ?>) json.get("machine")).get("fma_peak_gmacs_per_core"));
        Map<?, ?> step2 = (Map<?, ?>) ((List<?>) json.get("steps")).get(2);
        assertEquals(100 * (2e6 / 3e6) / 50, ((Number) step2.get("pct_of_peak")).doubleValue(), 1e-4);
        Map<?, ?> pointwise = (Map<?, ?>) ((List<?>) json.get("kinds")).get(1);
        assertEquals("pointwise", pointwise.get("kind"));
        assertEquals(1.5, ((Number) pointwise.get("pct_of_peak")).doubleValue(), 1e-9);
    }
}

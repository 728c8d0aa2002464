package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.machine.Machine;
import dev.ghostnet.engine.io.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonFormatTest {
    static ComparisonReport report() {
        ComparisonReport.Setup setup = new ComparisonReport.Setup(GhostNetConfig.Version.V1, 1.0, 224, 5, 20, 30, "vector-512", "1.22.0", "1.13.1",
                "Fri Nov 27 20:00:00 UTC 2026");
        List<ComparisonReport.EngineResult> engines = List.of(
                new ComparisonReport.EngineResult("ghostnet", new Stats(6.0, 5.7, 6.5, 5.5, 100), 0.6, 900, 120,
                        Agreement.self(1), true),
                new ComparisonReport.EngineResult("onnxruntime", new Stats(10.0, 9.5, 11.0, 9.0, 100), 1.0, 450, 130,
                        new Agreement(2.5e-6, 1, 1), true),
                new ComparisonReport.EngineResult("pytorch", new Stats(20.0, 19.0, 25.0, 18.0, 100), 2.0, Double.NaN, 380,
                        new Agreement(3e-6, 1, 1), false));
        Machine machine = new Machine("Test CPU", 2, 512, 55.9, 0.1, "2026-11-27 20:00 UTC");
        return new ComparisonReport(setup, List.of(new ComparisonReport.RowResult(new Row(1, 1), engines)), machine);
    }

    @Test
    void tableHasOneLinePerEngineAndSaysHowItWasMeasured() {
        String table = ComparisonFormat.table(report());
        assertTrue(table.contains("A B A B: 5 rounds x 20 iterations each (each turn after 50 ms untimed), after 30 warm-up"), table);
        assertTrue(table.contains("pytorch* runs once per row after the rounds"), table);
        String[] lines = table.split("\n");
        String ghost = lines[lines.length - 3];
        String torch = lines[lines.length - 1];
        assertEquals("      1     1 ghostnet         6.000     6.500     5.500   0.60x        900 ms    120 MB   0.0e+00     1/1",
                ghost);
        assertTrue(torch.contains("pytorch*") && torch.contains("   2.00x") && torch.contains(" - "), torch);
        assertTrue(lines[lines.length - 2].contains("2.5e-06"), lines[lines.length - 2]);
    }

    @Test
    void jsonRoundTrips() throws Exception {
        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(ComparisonFormat.json(report()));
        Map<?, ?> setup = (Map<?, ?>) json.get("setup");
        assertEquals("vector-512", setup.get("kernels"));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) json.get("rows")).getFirst();
        assertEquals(1L, row.get("threads"));
        List<?> engines = (List<?>) row.get("engines");
        assertEquals(3, engines.size());
        Map<?, ?> ghost = (Map<?, ?>) engines.getFirst();
        assertEquals("ghostnet", ghost.get("engine"));
        assertEquals(0.6, ((Number) ghost.get("ratio_to_onnxruntime")).doubleValue(), 1e-12);
        assertEquals(6L, ((Map<?, ?>) ghost.get("ms_per_image")).get("median"));
        Map<?, ?> torch = (Map<?, ?>) engines.getLast();
        assertEquals(Boolean.FALSE, torch.get("interleaved"));
        assertEquals(null, torch.get("first_logits_ms"));
    }

    @Test
    void rowRatioIsGhostnets() {
        assertEquals(0.6, report().rows().getFirst().ghostnetOverOrt());
    }
}

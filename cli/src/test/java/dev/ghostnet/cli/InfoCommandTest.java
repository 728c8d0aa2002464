package dev.ghostnet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {
    @Test
    void theDefaultModelsTableAndTotals() {
        CliRun run = CliRun.of("info", "--threads", "1");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> out = run.outLines();
        assertTrue(out.getFirst().startsWith("model        GhostNet v1 (width 1.0, 1000 classes)"), run.toString());
        assertTrue(out.stream().anyMatch(l -> l.matches("stem\\s+conv 3x3/2 3->16 @112x112\\s+112x112x16\\s+464\\s+5\\.42 M\\s+g0")),
                run.toString());
        String total = out.stream().filter(l -> l.startsWith("total ")).findFirst().orElseThrow();
        assertTrue(total.matches("total\\s+\\d+ steps\\s+5,182,508\\s+141\\.15 M"), total);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("parameters   5,182,508")), run.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("activations ")), run.toString());
        assertTrue(out.stream().anyMatch(l -> l.matches("heap\\s+\\d+\\.\\d MB in [\\d,]+ objects .*JOL.*")), run.toString());
        assertFalse(run.out().contains("WARNING"), "JOL's warnings stay out of the output:\n" + run);
    }

    @Test
    void otherSizesAndBadSizes() {
        CliRun small = CliRun.of("info", "--size", "64x96", "--batch", "2", "--threads", "1");
        assertEquals(0, small.exitCode(), small.toString());
        assertTrue(small.out().contains("2 x 64 x 96 x 3"), small.toString());
        assertTrue(small.out().contains("classifier"), small.toString());

        CliRun bad = CliRun.of("info", "--size", "64x96x3");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertEquals(List.of("ghostnet: --size must be HxW or N (e.g. 224x224), got '64x96x3'"), bad.errLines());
    }
}

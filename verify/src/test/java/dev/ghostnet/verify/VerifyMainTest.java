package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.ghostnet.charts.ChartAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyMainTest {
    private record Outcome(int exit, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = VerifyMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void seededSmallCasePassesAndPrintsTheTable() {
        Outcome o = run("--width-mult", "0.5", "--size", "32x32", "--batch", "2", "--kernels", "scalar", "--seed", "3");
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("case b2_32x32, kernels scalar"), o.out());
        for (String stage : new String[] {"stem ", "blocks.0.0 ", "blocks.8.3 ", "blocks.9 ", "pooled ", "head ",
                "logits ", "stride 8 = blocks.4.0", "top-5 image 1"}) {
            assertTrue(o.out().contains(stage), stage + " missing:\n" + o.out());
        }
        assertTrue(o.out().strip().lines().toList().getLast().startsWith("PASS"), o.out());
    }

    @Test
    void chartOfEveryPathsStages(@TempDir Path dir) throws Exception {
        Outcome o = run("--width-mult", "0.5", "--size", "32x32", "--kernels", "scalar", "--chart", dir.toString());
        assertEquals(0, o.exit(), o.out() + o.err());
        ChartAssertions.assertChart(dir, ParityChart.NAME);
        String svg = Files.readString(dir.resolve(ParityChart.NAME + ".svg"));
        assertTrue(svg.contains("tolerance: limit / torch fp32 error"), "no tolerance line in the legend");
    }

    @Test
    void givenWeightsAndInputAreChecked() {
        GoldenSet goldens = TestGoldens.forWidth(0.5);
        GoldenCase c = goldens.testCase(1, 32, 32);
        Outcome o = run("--weights", goldens.checkpoint("safetensors").toString(), "--input",
                c.dir().resolve("input.npy").toString(), "--kernels", "scalar");
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("case b1_32x32, kernels scalar"), o.out());
    }

    @Test
    void usageErrorsExitWithTwoOnOneLine() {
        for (String[] args : new String[][] {{"--size", "224"}, {"--kernels", "avx"}, {"--batch", "x"},
                {"--weights", "/nonexistent/w.pth"}, {"--bogus"}}) {
            Outcome o = run(args);
            assertEquals(2, o.exit(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.err().startsWith("ghostnet verify: "), o.err());
        }
    }
}

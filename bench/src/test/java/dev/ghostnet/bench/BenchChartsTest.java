package dev.ghostnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostnet.bench.compare.ComparisonChart;
import dev.ghostnet.bench.profile.ProfileChart;
import dev.ghostnet.bench.roofline.RooflineChart;
import dev.ghostnet.charts.ChartAssertions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bench command with {@code --chart DIR} writes a valid PNG and SVG; tiny sizes and counts keep it quick. */
class BenchChartsTest {
    /** Runs the command with stdout captured (the report; stderr is the progress log). */
    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, BenchMain.execute(args), String.join(" ", args));
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void profileChart(@TempDir Path dir) throws Exception {
        run("--profile", "--size", "32", "--iters", "2", "--warmup", "1", "--chart", dir.toString());
        ChartAssertions.assertChart(dir, ProfileChart.NAME);
    }

    @Test
    void kernelsRooflineChart(@TempDir Path dir) throws Exception {
        String table = run("--kernels", "--size", "32", "--iters", "1", "--warmup-ms", "0", "--measure-ms", "0",
                "--paths", "vector-128,scalar", "--chart", dir.toString());
        ChartAssertions.assertChart(dir, RooflineChart.NAME);
        org.junit.jupiter.api.Assertions.assertTrue(table.contains("pointwise 16->8 @16x16"), table);
    }

    @Test
    void compareChart(@TempDir Path dir) throws Exception {
        run("--compare", "--size", "32", "--rows", "1x1", "--rounds", "1", "--iters", "2", "--warmup", "1",
                "--no-torch", "--no-startup", "--cache-dir", dir.resolve("cache").toString(), "--chart",
                dir.resolve("charts").toString());
        ChartAssertions.assertChart(dir.resolve("charts"), ComparisonChart.NAME);
    }
}

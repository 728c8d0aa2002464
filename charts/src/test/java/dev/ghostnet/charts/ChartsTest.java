package dev.ghostnet.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ghostnet.machine.Machine;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @Test
    void writesPngAndSvgWithTheCaption(@TempDir Path dir) throws Exception {
        Charts.headless();
        XYSeries series = new XYSeries("line");
        for (int i = 0; i < 20; i++) series.add(i, i * i);
        JFreeChart chart = ChartFactory.createXYLineChart("test", "x", "y", new XYSeriesCollection(series));
        Machine machine = new Machine("Test CPU (family 1, model 2)", 2, 512, 55.9, 0.2, "2026-12-01 20:00 UTC");
        Charts.styled(chart, machine, "setup line");
        List<Path> files = Charts.write(chart, dir.resolve("sub"), "square", 640, 400);
        assertEquals(List.of(dir.resolve("sub/square.png"), dir.resolve("sub/square.svg")), files);
        ChartAssertions.assertChart(dir.resolve("sub"), "square");
    }
}

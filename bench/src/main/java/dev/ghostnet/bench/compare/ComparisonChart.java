package dev.ghostnet.bench.compare;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.charts.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The comparison as a picture: per row (threads x batch) one bar per engine at its median ms per image,
 * a whisker from its 10th to its 90th percentile, and the ratio to ONNX Runtime above it.
 */
public final class ComparisonChart {
    public static final String NAME = "compare";

    private ComparisonChart() {}

    public static List<Path> write(ComparisonReport report, Path dir) throws IOException {
        return Charts.write(chart(report), dir, NAME, 1100, 650);
    }

    static JFreeChart chart(ComparisonReport report) {
        Charts.headless();
        DefaultCategoryDataset medians = new DefaultCategoryDataset();
        Map<List<String>, Stats> spread = new HashMap<>();
        Map<List<String>, Double> ratios = new HashMap<>();
        for (ComparisonReport.RowResult row : report.rows()) {
            String column = row.row().threads() + " thread(s), batch " + row.row().batch();
            for (ComparisonReport.EngineResult e : row.engines()) {
                String engine = e.engine() + (e.interleaved() ? "" : "*");
                medians.addValue(e.perImageMs().median(), engine, column);
                spread.put(List.of(engine, column), e.perImageMs());
                ratios.put(List.of(engine, column), e.ratioToOrt());
            }
        }
        WhiskerBarRenderer bars = new WhiskerBarRenderer(spread);
        for (int i = 0; i < medians.getRowCount(); i++) bars.setSeriesPaint(i, Charts.PALETTE.get(i % Charts.PALETTE.size()));
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            private static final long serialVersionUID = 1L;

            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                List<String> key = List.of((String) dataset.getRowKey(row), (String) dataset.getColumnKey(column));
                return String.format(Locale.ROOT, "%.2f ms, %.2fx", dataset.getValue(row, column).doubleValue(),
                        ratios.get(key));
            }
        });
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.INSIDE6, TextAnchor.BOTTOM_CENTER));
        NumberAxis ms = new NumberAxis("ms per image (bar: median; whisker: p10 to p90)");
        ms.setRange(0, spread.values().stream().mapToDouble(Stats::p90).max().orElse(1) * 1.08);
        CategoryPlot plot = new CategoryPlot(medians, new CategoryAxis("threads x batch"), ms, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ComparisonReport.Setup s = report.setup();
        String torch = s.torchVersion().equals("-") ? "" : " and PyTorch " + s.torchVersion();
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "GhostNet %s at %dx%d: latency per image, this engine (%s) vs ONNX Runtime %s%s",
                s.widthMult(), s.size(), s.size(), s.kernels(), s.ortVersion(), torch),
                new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        String setup = String.format(Locale.ROOT,
                "ghostnet and onnxruntime take turns A B A B, %d rounds x %d iterations after %d warm-up each; "
                        + "pytorch* runs after the rounds in its own process; labels: median, ratio to onnxruntime",
                s.rounds(), s.itersPerTurn(), s.warmup());
        return Charts.styled(chart, report.machine(), setup);
    }

    /** Bars with a p10-p90 whisker each, from the same samples as the median the bar shows. */
    private static final class WhiskerBarRenderer extends BarRenderer {
        private static final long serialVersionUID = 1L;
        private final transient Map<List<String>, Stats> spread;

        WhiskerBarRenderer(Map<List<String>, Stats> spread) {
            this.spread = spread;
            setBarPainter(new StandardBarPainter());
            setShadowVisible(false);
            setItemMargin(0.05);
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                             CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                             int pass) {
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
            Stats stats = spread.get(List.of((String) dataset.getRowKey(row), (String) dataset.getColumnKey(column)));
            if (stats == null) return;
            double x = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row, column)
                    + state.getBarWidth() / 2;
            double low = rangeAxis.valueToJava2D(stats.p10(), dataArea, plot.getRangeAxisEdge());
            double high = rangeAxis.valueToJava2D(stats.p90(), dataArea, plot.getRangeAxisEdge());
            double cap = state.getBarWidth() / 4;
            g2.setPaint(Color.BLACK);
            g2.setStroke(new BasicStroke(1.3f));
            g2.draw(new Line2D.Double(x, low, x, high));
            g2.draw(new Line2D.Double(x - cap, low, x + cap, low));
            g2.draw(new Line2D.Double(x - cap, high, x + cap, high));
        }
    }
}

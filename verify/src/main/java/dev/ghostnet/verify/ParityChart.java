package dev.ghostnet.verify;

import dev.ghostnet.charts.Charts;
import dev.ghostnet.machine.Machine;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Parity as a picture: per stage, each kernel path's error ratio (engine error / PyTorch's own fp32 error,
 * both against fp64) on a log axis, under the tolerance line (the limit over torch's error: the factor,
 * plus the floors where torch's error is tiny). A ratio of 0 (bit-exact stage) cannot sit on a log axis
 * and is left out.
 */
public final class ParityChart {
    public static final String NAME = "verify-parity";
    private static final String TOLERANCE = "tolerance: limit / torch fp32 error";

    private ParityChart() {}

    public static List<Path> write(List<ParityReport> reports, Machine machine, Path dir) throws IOException {
        return Charts.write(chart(reports, machine), dir, NAME, 1200, 650);
    }

    static JFreeChart chart(List<ParityReport> reports, Machine machine) {
        Charts.headless();
        if (reports.isEmpty()) throw new IllegalArgumentException("no parity report to draw");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double lowest = 1;
        for (StageParity s : reports.getFirst().stages()) {
            double limitRatio = s.torchError() > 0 ? s.limit() / s.torchError() : Double.NaN;
            data.addValue(Double.isFinite(limitRatio) ? limitRatio : null, TOLERANCE, s.stage());
        }
        for (ParityReport report : reports) {
            for (StageParity s : report.stages()) {
                double ratio = s.ratio();
                boolean drawable = Double.isFinite(ratio) && ratio > 0;
                data.addValue(drawable ? ratio : null, report.kernels(), s.stage());
                if (drawable) lowest = Math.min(lowest, ratio);
            }
        }
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, Color.BLACK);
        renderer.setSeriesStroke(0, Charts.dashed(2f));
        renderer.setSeriesShapesVisible(0, false);
        for (int i = 1; i <= reports.size(); i++) {
            renderer.setSeriesPaint(i, Charts.PALETTE.get((i - 1) % Charts.PALETTE.size()));
            renderer.setSeriesStroke(i, new BasicStroke(1.2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        CategoryAxis stages = new CategoryAxis("stage (stage-by-stage run)");
        stages.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        stages.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        LogAxis ratio = Charts.logAxis("engine error / PyTorch fp32 error, both vs fp64 (log)");
        double top = reports.stream().flatMap(r -> r.stages().stream()).mapToDouble(StageParity::ratio)
                .filter(Double::isFinite).max().orElse(1);
        ratio.setRange(lowest / 2, Math.max(top, reports.getFirst().tolerance().factor()) * 3);
        CategoryPlot plot = new CategoryPlot(data, stages, ratio, renderer);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ParityReport first = reports.getFirst();
        boolean passed = reports.stream().allMatch(ParityReport::passed);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "GhostNet parity with PyTorch, case %s: error ratio per stage (%s)", first.caseName(),
                passed ? "every path passes" : "FAIL"), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        String setup = String.format(Locale.ROOT, "pass iff engine err <= %s; ratio 1 = as close to fp64 as PyTorch's "
                + "own fp32; exact (0) ratios not drawn", first.tolerance());
        return Charts.styled(chart, machine, setup);
    }
}

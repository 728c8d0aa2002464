package dev.ghostnet.bench.profile;

import dev.ghostnet.charts.Charts;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The profile as a picture: one bar per step in plan order (its median time), coloured by op kind, and
 * per step with multiply-adds a dot for its share of the FMA peak measured in the same run (right axis).
 */
public final class ProfileChart {
    public static final String NAME = "profile";
    private static final String TIME = "median ms";
    private static final String PEAK = "% of peak";

    private ProfileChart() {}

    public static List<Path> write(ProfileReport report, Path dir) throws IOException {
        return Charts.write(chart(report), dir, NAME, 1600, 720);
    }

    static JFreeChart chart(ProfileReport report) {
        Charts.headless();
        List<String> kinds = ProfileFormat.byKind(report).stream().map(ProfileFormat.KindTotal::kind).toList();
        DefaultCategoryDataset times = new DefaultCategoryDataset();
        DefaultCategoryDataset shares = new DefaultCategoryDataset();
        List<Paint> barPaints = new ArrayList<>();
        for (ProfileReport.StepTime step : report.steps()) {
            String column = Integer.toString(step.index());
            times.addValue(step.medianMs(), TIME, column);
            shares.addValue(step.macs() > 0 ? report.percentOfPeak(step.gmacPerSecond()) : null, PEAK, column);
            barPaints.add(kindPaint(kinds.indexOf(step.kind())));
        }
        CategoryAxis steps = new CategoryAxis("step of the plan (index; names in the --profile table)");
        steps.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        steps.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
        steps.setCategoryMargin(0.1);
        steps.setLowerMargin(0.005);
        steps.setUpperMargin(0.005);
        BarRenderer bars = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return barPaints.get(column);
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(times, steps, new NumberAxis("median ms per step"), bars);
        NumberAxis percent = new NumberAxis(String.format(Locale.ROOT, "%% of the FMA peak (%.1f G MAC/s x %d thread(s))",
                report.machine().peakGmacs(), report.setup().threads()));
        percent.setRange(0, Math.max(10, maxShare(report) * 1.15));
        plot.setRangeAxis(1, percent);
        plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
        LineAndShapeRenderer dots = new LineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, Color.BLACK);
        dots.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        plot.setDataset(1, shares);
        plot.setRenderer(1, dots);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        LegendItemCollection legend = new LegendItemCollection();
        for (ProfileFormat.KindTotal k : ProfileFormat.byKind(report)) {
            legend.add(Charts.legendShape(String.format(Locale.ROOT, "%s: %d steps, %.1f%% of time, %.1f%% of peak",
                    k.kind(), k.steps(), 100 * k.ms() / report.stepSumMs(), report.percentOfPeak(k.gmacPerSecond())),
                    new java.awt.Rectangle(-5, -5, 10, 10), kindPaint(kinds.indexOf(k.kind()))));
        }
        legend.add(Charts.legendShape("step's % of peak (right axis)", new Ellipse2D.Double(-3, -3, 6, 6), Color.BLACK));
        plot.setFixedLegendItems(legend);

        ProfileReport.Setup s = report.setup();
        double sumRate = report.totalMacs() / (report.stepSumMs() * 1e6);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "GhostNet %s at %dx%d, batch %d, %d thread(s), kernels %s: time per step", s.widthMult(), s.size(),
                s.size(), s.batch(), s.threads(), s.kernels()), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        String setup = String.format(Locale.ROOT,
                "median of %d runs per step after %d whole-network warm-up runs; sum of steps %.3f ms (%.1f G MAC/s, "
                        + "%.1f%% of peak); whole run() median %.3f ms", s.iters(), s.warmup(), report.stepSumMs(),
                sumRate, report.percentOfPeak(sumRate), report.wholeRunMedianMs());
        return Charts.styled(chart, report.machine(), setup);
    }

    private static double maxShare(ProfileReport report) {
        return report.steps().stream().mapToDouble(st -> report.percentOfPeak(st.gmacPerSecond())).max().orElse(0);
    }

    private static Paint kindPaint(int kindIndex) {
        return Charts.PALETTE.get(kindIndex % Charts.PALETTE.size());
    }
}

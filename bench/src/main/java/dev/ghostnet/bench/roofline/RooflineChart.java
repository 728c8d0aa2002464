package dev.ghostnet.bench.roofline;

import dev.ghostnet.charts.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The roofline: every measurement as a point at (MAC per compulsory byte, G MAC/s) on log axes, colour per
 * kernel family, shape per op kind, under the ceilings measured in the same run: a flat line per vector
 * width's FMA peak and a slanted line per bandwidth (L2, memory), each meeting the widest peak.
 */
public final class RooflineChart {
    public static final String NAME = "kernels-roofline";
    private static final Map<KernelCase.Kind, Shape> SHAPES = new EnumMap<>(KernelCase.Kind.class);

    static {
        SHAPES.put(KernelCase.Kind.POINTWISE, new Ellipse2D.Double(-4, -4, 8, 8));
        SHAPES.put(KernelCase.Kind.DEPTHWISE, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
        SHAPES.put(KernelCase.Kind.CONV, polygon(new double[] {0, 5, -5}, new double[] {-5, 4, 4}));
        SHAPES.put(KernelCase.Kind.LINEAR, polygon(new double[] {0, 5, 0, -5}, new double[] {-5, 0, 5, 0}));
        SHAPES.put(KernelCase.Kind.SQUEEZE_EXCITE, polygon(new double[] {0, 5, -5}, new double[] {5, -4, -4}));
    }

    private RooflineChart() {}

    public static List<Path> write(RooflineReport r, Path dir) throws IOException {
        return Charts.write(chart(r), dir, NAME, 1200, 800);
    }

    static JFreeChart chart(RooflineReport r) {
        Charts.headless();
        XYSeriesCollection points = new XYSeriesCollection();
        List<List<KernelCase.Kind>> kinds = new ArrayList<>();
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE;
        for (String family : r.families()) {
            XYSeries series = new XYSeries(family, false, true);
            List<KernelCase.Kind> seriesKinds = new ArrayList<>();
            for (RooflineReport.Measurement m : r.measurements()) {
                if (!m.family().equals(family)) continue;
                series.add(m.kernelCase().intensity(), m.gmacPerSecond());
                seriesKinds.add(m.kernelCase().kind());
                minX = Math.min(minX, m.kernelCase().intensity());
                maxX = Math.max(maxX, m.kernelCase().intensity());
                minY = Math.min(minY, m.gmacPerSecond());
            }
            points.addSeries(series);
            kinds.add(seriesKinds);
        }
        double x0 = minX / 2, x1 = maxX * 2;
        double peak = r.machine().peakGmacs();

        XYSeriesCollection ceilings = new XYSeriesCollection();
        List<String> ceilingLabels = new ArrayList<>();
        r.peakByBits().forEach((bits, gmacs) -> {
            XYSeries flat = new XYSeries("peak " + bits, false, true);
            flat.add(x0, gmacs);
            flat.add(x1, gmacs);
            ceilings.addSeries(flat);
            ceilingLabels.add(String.format(Locale.ROOT, "FMA peak %d-bit: %.1f G MAC/s", bits, gmacs));
        });
        slanted(ceilings, "L2", r.bandwidth().l2GbPerSecond(), peak, x0, x1);
        ceilingLabels.add(String.format(Locale.ROOT, "L2 read: %.1f GB/s", r.bandwidth().l2GbPerSecond()));
        slanted(ceilings, "memory", r.bandwidth().memoryGbPerSecond(), peak, x0, x1);
        ceilingLabels.add(String.format(Locale.ROOT, "memory read: %.1f GB/s", r.bandwidth().memoryGbPerSecond()));

        LogAxis x = Charts.logAxis("arithmetic intensity: MAC per compulsory byte (log)");
        x.setRange(x0, x1);
        LogAxis y = Charts.logAxis("G MAC/s, one thread (log)");
        double maxY = Math.max(peak, r.measurements().stream().mapToDouble(RooflineReport.Measurement::gmacPerSecond)
                .max().orElse(peak));
        y.setRange(Math.max(1e-5, Math.min(minY, x0 * r.bandwidth().memoryGbPerSecond()) / 2), maxY * 1.6);
        XYPlot plot = new XYPlot(points, x, y, new KindShapeRenderer(kinds));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < ceilings.getSeriesCount(); i++) {
            boolean widest = i == 0;
            boolean flat = i < r.peakByBits().size();
            boolean memory = i == ceilings.getSeriesCount() - 1;
            lines.setSeriesPaint(i, flat ? Color.DARK_GRAY : memory ? new Color(0x6A3D9A) : new Color(0x8B0000));
            lines.setSeriesStroke(i, widest || !flat ? new BasicStroke(1.6f) : Charts.dashed(1.2f));
        }
        plot.setDataset(1, ceilings);
        plot.setRenderer(1, lines);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        LegendItemCollection legend = new LegendItemCollection();
        for (int i = 0; i < r.families().size(); i++) {
            legend.add(Charts.legendShape(r.families().get(i), new Ellipse2D.Double(-4, -4, 8, 8), color(i)));
        }
        for (KernelCase.Kind kind : KernelCase.Kind.values()) {
            legend.add(Charts.legendShape(kind.label(), SHAPES.get(kind), Color.GRAY));
        }
        for (int i = 0; i < ceilingLabels.size(); i++) {
            legend.add(Charts.legendLine(ceilingLabels.get(i), lines.getSeriesStroke(i), lines.getSeriesPaint(i)));
        }
        plot.setFixedLegendItems(legend);

        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "GhostNet %s kernels at %dx%d: roofline per vector width", r.setup().widthMult(), r.setup().size(),
                r.setup().size()), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        String setup = String.format(Locale.ROOT,
                "one point per kernel call of the plan and family: median call (>= %d calls, >= %d ms) after a "
                        + "warm-up of >= %d ms until stable, one image, one thread; ceilings measured in the same run", r.setup().minCalls(),
                r.setup().measureMs(), r.setup().warmupMs());
        return Charts.styled(chart, r.machine(), setup);
    }

    private static void slanted(XYSeriesCollection into, String name, double gbPerSecond, double peak, double x0,
                                double x1) {
        XYSeries s = new XYSeries(name, false, true);
        double ridge = peak / gbPerSecond;
        s.add(x0, x0 * gbPerSecond);
        s.add(Math.min(ridge, x1), Math.min(ridge, x1) * gbPerSecond);
        into.addSeries(s);
    }

    static Paint color(int series) {
        return Charts.PALETTE.get(series % Charts.PALETTE.size());
    }

    private static Shape polygon(double[] xs, double[] ys) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) p.lineTo(xs[i], ys[i]);
        p.closePath();
        return p;
    }

    /** Points only; each point's shape is its op kind's, its colour its family's. */
    private static final class KindShapeRenderer extends XYLineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private final transient List<List<KernelCase.Kind>> kinds;

        KindShapeRenderer(List<List<KernelCase.Kind>> kinds) {
            super(false, true);
            this.kinds = kinds;
            for (int i = 0; i < kinds.size(); i++) setSeriesPaint(i, color(i));
        }

        @Override
        public Shape getItemShape(int series, int item) {
            return SHAPES.get(kinds.get(series).get(item));
        }
    }
}

package dev.ghostnet.charts;

import dev.ghostnet.machine.Machine;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Writes a chart as {@code NAME.png} and {@code NAME.svg}, with the machine caption every chart carries,
 * on a machine without a display (headless AWT: no X server needed, set before AWT loads).
 */
public final class Charts {
    /** Series colours, distinguishable in print and for the common colour-vision deficiencies (Okabe-Ito). */
    public static final List<Paint> PALETTE = List.of(new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000));

    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    static {
        headless();
    }

    private Charts() {}

    /** Every chart builder calls this before touching AWT. */
    public static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** A dashed line for ceilings and limits. */
    public static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /** A base-10 log axis labelled 0.01, 0.1, 1, 10 ... (one tick per decade, nine minor ticks). */
    public static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1e-6);
        axis.setNumberFormatOverride(new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1), false, false);
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        return axis;
    }

    /** A legend entry drawn as {@code shape} filled with {@code paint}. */
    public static LegendItem legendShape(String label, Shape shape, Paint paint) {
        return new LegendItem(label, null, null, null, shape, paint);
    }

    /** A legend entry drawn as a line. */
    public static LegendItem legendLine(String label, Stroke stroke, Paint paint) {
        return new LegendItem(label, null, null, null, new Line2D.Double(-8, 0, 8, 0), stroke, paint);
    }

    /** White background, light grid, and the machine caption (plus {@code setup}) under the plot. */
    public static JFreeChart styled(JFreeChart chart, Machine machine, String setup) {
        chart.setBackgroundPaint(Color.WHITE);
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        for (String line : List.of(setup, "measured on " + machine.caption())) {
            TextTitle caption = new TextTitle(line, CAPTION);
            caption.setPosition(RectangleEdge.BOTTOM);
            caption.setHorizontalAlignment(HorizontalAlignment.LEFT);
            chart.addSubtitle(caption);
        }
        return chart;
    }

    /** Writes {@code dir/name.png} and {@code dir/name.svg} ({@code dir} is created); returns both paths. */
    public static List<Path> write(JFreeChart chart, Path dir, String name, int width, int height) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        chart.draw((Graphics2D) g2, new Rectangle(0, 0, width, height));
        SVGUtils.writeToSVG(svg.toFile(), g2.getSVGElement());
        return List.of(png, svg);
    }
}

package dev.ghostnet.charts;

import dev.ghostnet.machine.Machine;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
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

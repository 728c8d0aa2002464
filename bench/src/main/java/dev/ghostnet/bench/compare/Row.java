package dev.ghostnet.bench.compare;

import java.util.ArrayList;
import java.util.List;

/** One line of the comparison: every engine on {@code threads} intra-op threads and batches of {@code batch}. */
public record Row(int threads, int batch) {
    /** The rows issue #6 asks for: 1 thread batch 1, 2 threads batch 1, 2 threads batch 8. */
    public static final List<Row> DEFAULT = List.of(new Row(1, 1), new Row(2, 1), new Row(2, 8));

    public Row {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    }

    /** Parses {@code "1x1,2x1,2x8"} (THREADSxBATCH, comma-separated). */
    public static List<Row> parseList(String text) {
        List<Row> rows = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] tb = part.trim().split("x", -1);
            if (tb.length != 2) {
                throw new IllegalArgumentException("row '" + part + "' is not THREADSxBATCH, e.g. 2x8");
            }
            try {
                rows.add(new Row(Integer.parseInt(tb[0]), Integer.parseInt(tb[1])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("row '" + part + "' is not THREADSxBATCH, e.g. 2x8");
            }
        }
        return List.copyOf(rows);
    }

    @Override
    public String toString() {
        return threads + "x" + batch;
    }
}

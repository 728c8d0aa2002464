package dev.ghostnet.spark;

import dev.ghostnet.cli.GhostNetCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ghostnet classify --json} run in-process (the command line's own code) and its lines parsed. */
final class CliResults {
    private static final Pattern SOURCE = Pattern.compile("\"source\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PREDICTION = Pattern.compile("\"label\":\"((?:[^\"\\\\]|\\\\.)*)\",\"probability\":([^}]+)}");

    /** One image's top classes as the command line printed them. */
    record Top(List<String> labels, List<Float> probabilities) {}

    private CliResults() {}

    /** The command's results by file path; fails when the command does. */
    static Map<String, Top> classify(Path dir, int topK, int batch, int threads) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GhostNetCli.execute(new PrintWriter(out), new PrintWriter(err), "classify", "--json", "--no-progress",
                "--weights", FashionPngs.WEIGHTS.toString(), "--topk", Integer.toString(topK), "--batch",
                Integer.toString(batch), "--threads", Integer.toString(threads), dir.toString());
        assertEquals(0, exit, "ghostnet classify failed: " + err);
        Map<String, Top> results = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher source = SOURCE.matcher(line);
            if (!source.find()) {
                throw new AssertionError("no source in " + line);
            }
            List<String> labels = new ArrayList<>();
            List<Float> probabilities = new ArrayList<>();
            Matcher p = PREDICTION.matcher(line);
            while (p.find()) {
                labels.add(p.group(1).replace("\\/", "/"));
                probabilities.add(Float.parseFloat(p.group(2)));
            }
            results.put(source.group(1), new Top(labels, probabilities));
        }
        return results;
    }
}

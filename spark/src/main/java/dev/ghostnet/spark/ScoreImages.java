package dev.ghostnet.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code spark-submit} entry point: scores a directory (or glob) of PNG and JPEG files and writes one
 * row per file (path, labels, probabilities, error; the bytes are dropped) as Parquet or JSON.
 *
 * <pre>
 * spark-submit --class dev.ghostnet.spark.ScoreImages ghostnet-spark-VERSION-bundle.jar \
 *     --weights hdfs:///models/model.safetensors --input hdfs:///images --output hdfs:///scores
 * </pre>
 */
public final class ScoreImages {
    private static final Set<String> OPTIONS = Set.of("--weights", "--config", "--input", "--output", "--format",
            "--topk", "--batch", "--threads", "--partitions");

    private ScoreImages() {}

    /**
     * Runs the job; exits with 2 and a usage line on bad arguments.
     *
     * @param args {@code --weights W --input DIR --output DIR [--config C] [--format parquet|json] [--topk K]
     *             [--batch B] [--threads T] [--partitions P]}
     */
    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ScoreImages: " + e.getMessage());
            System.err.println("usage: ScoreImages --weights W --input DIR --output DIR [--config C]"
                    + " [--format parquet|json] [--topk K] [--batch B] [--threads T] [--partitions P]");
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("ghostnet-score-images").getOrCreate();
        try {
            Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .load(options.get("--input"));
            if (options.containsKey("--partitions")) {
                files = files.repartition(Integer.parseInt(options.get("--partitions")));
            }
            GhostNetClassifier classifier = new GhostNetClassifier().setWeights(options.get("--weights"))
                    .setConfig(options.getOrDefault("--config", ""))
                    .setTopK(Integer.parseInt(options.getOrDefault("--topk", "5")))
                    .setBatchSize(Integer.parseInt(options.getOrDefault("--batch", "16")))
                    .setThreadsPerTask(Integer.parseInt(options.getOrDefault("--threads", "1")));
            Dataset<Row> scored = classifier.transform(files).drop("content");
            scored.write().mode("overwrite").format(options.getOrDefault("--format", "parquet"))
                    .save(options.get("--output"));
            // Read back with the written schema: JSON leaves out null fields, an all-null error column with them.
            long failed = spark.read().schema(scored.schema()).format(options.getOrDefault("--format", "parquet"))
                    .load(options.get("--output")).filter(classifier.getErrorCol() + " is not null").count();
            System.out.println("ScoreImages: wrote " + options.get("--output") + " (" + failed + " images failed)");
        } finally {
            spark.stop();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> missing = new ArrayList<>(List.of("--weights", "--input", "--output"));
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            if (Set.of("--topk", "--batch", "--threads", "--partitions").contains(args[i])
                    && !args[i + 1].matches("[1-9][0-9]{0,8}")) {
                throw new IllegalArgumentException(args[i] + " must be a positive number, got " + args[i + 1]);
            }
            options.put(args[i], args[i + 1]);
            missing.remove(args[i]);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + String.join(", ", missing));
        }
        return options;
    }
}

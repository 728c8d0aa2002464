package dev.ghostnet.spark;

import dev.ghostnet.cli.GhostNetCli;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The throughput benchmark behind {@code scripts/spark-throughput}: the same N Fashion-MNIST PNG files scored
 * by GhostNetClassifier in Spark {@code local[2]} (two tasks of one engine thread each, writing every output
 * column to Spark's no-op sink) and by {@code ghostnet classify --threads 2} run in-process (the command
 * line's own code, one session of two threads, output discarded). Each side runs once to warm up, then
 * {@code rounds} timed times, the two back to back in alternating order; the medians of the images per
 * second and of the rounds' ratios are printed, with the rate of Spark reading the files and passing the rows
 * through an identity {@code mapPartitions} without the model: Spark's own cost, the transformer's ceiling.
 *
 * <p>Arguments: {@code [images] [batch] [rounds] [weights]}, default 10000 16 5 and the bundled Fashion-MNIST
 * model (32x32 input); another checkpoint (an ImageNet GhostNet runs the same files at 224x224) may be given.
 */
public final class SparkThroughput {
    private SparkThroughput() {}

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String weights = args.length > 3 ? args[3] : FashionPngs.WEIGHTS.toString();
        // With -Dspark.task.cpus=2, one task at a time runs two engine threads, as the command line does.
        int threadsPerTask = Integer.getInteger("throughput.threadsPerTask", 1);
        Path dir = FashionPngs.directory(images);
        System.out.printf(Locale.ROOT, "%d PNG files in %s, weights %s, batch %d, %d timed rounds each, %d cores%n",
                images, dir, weights, batch, rounds, Runtime.getRuntime().availableProcessors());

        SparkSession spark = LocalSpark.get();
        GhostNetClassifier classifier = new GhostNetClassifier().setWeights(weights)
                .setBatchSize(batch).setThreadsPerTask(threadsPerTask);
        Dataset<Row> files = spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(dir.toString());
        System.out.printf(Locale.ROOT, "spark: %d partitions (spark.sql.files.openCostInBytes %s, maxPartitionBytes %s),"
                        + " spark.task.cpus %s, threadsPerTask %d%n", files.rdd().getNumPartitions(),
                spark.conf().get("spark.sql.files.openCostInBytes"), spark.conf().get("spark.sql.files.maxPartitionBytes"),
                spark.conf().get("spark.task.cpus", "1"), threadsPerTask);
        double[] sparkRates = new double[rounds];
        double[] cliRates = new double[rounds];
        double[] ratios = new double[rounds];
        double[] floors = new double[rounds];
        for (int round = -1; round < rounds; round++) { // round -1 warms both up
            // Adjacent runs, in alternating order: on a machine loaded by other work, each round's ratio
            // compares the two under the same load.
            boolean sparkFirst = round % 2 != 0;
            double sparkRate = sparkFirst ? sparkRate(classifier, files, images) : 0;
            double cliRate = cliRate(dir, weights, batch, images);
            if (!sparkFirst) {
                sparkRate = sparkRate(classifier, files, images);
            }
            double floor = passThroughRate(files, images);
            System.out.printf(Locale.ROOT, "%s: spark local[2] %.0f images/s, cli --threads 2 %.0f images/s, spark/cli"
                    + " %.0f%%; spark reading and passing the rows on without the model: %.0f images/s%n",
                    round < 0 ? "warm-up" : "round " + (round + 1), sparkRate, cliRate, 100 * sparkRate / cliRate, floor);
            if (round >= 0) {
                sparkRates[round] = sparkRate;
                cliRates[round] = cliRate;
                ratios[round] = sparkRate / cliRate;
                floors[round] = floor;
            }
        }
        System.out.printf(Locale.ROOT, "median: spark local[2] %.0f images/s, cli --threads 2 %.0f images/s,"
                + " spark/cli %.0f%% (median of the rounds' ratios; range %.0f-%.0f%%)%n", median(sparkRates),
                median(cliRates), 100 * median(ratios), 100 * Arrays.stream(ratios).min().orElseThrow(),
                100 * Arrays.stream(ratios).max().orElseThrow());
        System.out.printf(Locale.ROOT, "median: spark without the model %.0f images/s (reading the files and running"
                + " the tasks alone)%n", median(floors));
        spark.stop();
    }

    /** Every output column computed and handed to Spark's no-op sink. */
    private static double sparkRate(GhostNetClassifier classifier, Dataset<Row> files, int images) {
        long start = System.nanoTime();
        classifier.transform(files).write().format("noop").mode("overwrite").save();
        return images / seconds(start);
    }

    /** The same files through an identity {@code mapPartitions}: Spark's own cost, the transformer's floor. */
    private static double passThroughRate(Dataset<Row> files, int images) {
        long start = System.nanoTime();
        files.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> rows, Encoders.row(files.schema()))
                .write().format("noop").mode("overwrite").save();
        return images / seconds(start);
    }

    /** {@code ghostnet classify --threads 2}: the command line's own code, its output discarded. */
    private static double cliRate(Path dir, String weights, int batch, int images) {
        long start = System.nanoTime();
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        int exit = GhostNetCli.execute(discard, discard, "classify", "--no-progress", "--weights", weights, "--batch",
                Integer.toString(batch), "--threads", "2", dir.toString());
        if (exit != 0) {
            throw new IllegalStateException("ghostnet classify exited with " + exit);
        }
        return images / seconds(start);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

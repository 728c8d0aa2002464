package dev.ghostnet.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one {@code local[2]} session for every test class of the JVM (starting Spark takes
 * seconds), small and quiet: no UI, two shuffle partitions. In local mode the driver's memory is the test
 * JVM's heap (surefire's {@code -Xmx1g}).
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("ghostnet-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                    .getOrCreate();
        }
        return session;
    }
}

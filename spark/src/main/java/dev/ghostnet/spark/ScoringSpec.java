package dev.ghostnet.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.Map;

/**
 * What every task needs to score its partition, fixed on the driver when {@code transform} is called and
 * shipped with the tasks.
 *
 * @param model       which model
 * @param hadoop      the driver's Hadoop configuration (for {@code hdfs:}, {@code s3a:} ... weights), broadcast once
 * @param kind        what the input column holds
 * @param inputIndex  the input column's position in the row
 * @param sourceIndex the position of a string column naming the image (binaryFile's {@code path}), or -1; for
 *                    image structs their {@code origin} names them
 * @param topK        classes per image
 * @param batchSize   images run together
 * @param threads     engine threads per task
 * @param logits      whether to output the logits
 * @param features    whether to output the pooled features
 */
record ScoringSpec(ModelCache.Key model, Broadcast<Map<String, String>> hadoop, InputKind kind, int inputIndex,
                   int sourceIndex, int topK, int batchSize, int threads, boolean logits, boolean features)
        implements Serializable {

    /** The broadcast entries as a configuration of their own (no defaults loaded from this JVM's class path). */
    Configuration hadoopConfiguration() {
        Configuration conf = new Configuration(false);
        hadoop.value().forEach(conf::set);
        return conf;
    }
}

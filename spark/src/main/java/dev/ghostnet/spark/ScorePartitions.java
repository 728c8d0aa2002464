package dev.ghostnet.spark;

import dev.ghostnet.GhostNet;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

import java.util.Iterator;

/**
 * The function each task runs over its partition: the JVM's shared model, a session of the task's own,
 * rows scored in batches as they are pulled. The session is given back when the partition is exhausted,
 * or when the task ends early (a {@code limit}, a failure).
 */
final class ScorePartitions implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ScoringSpec spec;

    ScorePartitions(ScoringSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        GhostNet model = ModelCache.get(spec.model(), spec::hadoopConfiguration);
        TaskContext task = TaskContext.get();
        PartitionScorer scorer = new PartitionScorer(input, spec, model, task == null ? -1 : task.partitionId());
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> scorer.close());
        }
        return scorer;
    }
}

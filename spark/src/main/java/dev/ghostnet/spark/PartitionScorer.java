package dev.ghostnet.spark;

import dev.ghostnet.Classification;
import dev.ghostnet.FeatureMap;
import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;
import dev.ghostnet.ImageReadException;
import dev.ghostnet.ImageTensor;
import dev.ghostnet.Layout;
import dev.ghostnet.Prediction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Scores one partition: pulls up to {@code batchSize} rows, decodes and preprocesses each into the next
 * free place of one NHWC batch (a row that fails takes no place and gets its error instead), runs the
 * batch once for the logits (and once more for the feature maps when pooled features are asked for),
 * and hands the rows back, in order, with the output columns appended. Holds the task's session, borrowed
 * from the JVM's {@link SessionCache} until the partition is done.
 */
final class PartitionScorer implements Iterator<Row>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);
    /** Failed rows logged one by one per partition; the rest are only counted. */
    private static final int LOGGED_FAILURES = 3;

    private final Iterator<Row> input;
    private final ScoringSpec spec;
    private final GhostNet model;
    private final SessionCache.Key sessionKey;
    private final SessionCache.Workspace workspace;
    private final GhostNetSession session;
    private final int partition;
    private final int classes;
    private final int imageFloats;
    private final float[] batch;
    private final float[] logits;
    private final Row[] rows;
    private final String[] errors;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private long scored;
    private long failed;
    private boolean closed;

    PartitionScorer(Iterator<Row> input, ScoringSpec spec, GhostNet model, int partition) {
        this.input = input;
        this.spec = spec;
        this.model = model;
        this.partition = partition;
        this.sessionKey = new SessionCache.Key(spec.model(), spec.threads(), spec.batchSize());
        this.workspace = SessionCache.borrow(sessionKey, model);
        this.session = workspace.session();
        this.classes = workspace.classes();
        this.imageFloats = workspace.imageFloats();
        this.batch = workspace.batch();
        this.logits = workspace.logits();
        this.rows = new Row[spec.batchSize()];
        this.errors = new String[spec.batchSize()];
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !closed && input.hasNext()) {
            scoreBatch();
        }
        if (ready.isEmpty()) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void scoreBatch() {
        int count = 0;
        int images = 0;
        while (count < rows.length && input.hasNext()) {
            Row row = input.next();
            rows[count] = row;
            errors[count] = preprocess(row, images, scored + count);
            if (errors[count] == null) {
                images++;
            }
            count++;
        }
        ImageTensor tensor = ImageTensor.of(MemorySegment.ofArray(batch).asSlice(0, (long) images * imageFloats
                * Float.BYTES), Layout.NHWC);
        if (images > 0) {
            session.logits(tensor, logits);
        }
        float[][] pooled = spec.features() && images > 0 ? pooledFeatures(session.features(tensor)) : null;
        for (int i = 0, image = 0; i < count; i++) {
            if (errors[i] != null) {
                ready.add(append(rows[i], null, null, null, errors[i]));
                logFailure(errors[i]);
                continue;
            }
            Classification c = model.classification(logits, image * classes, spec.topK(), source(rows[i], scored + i));
            float[] own = spec.logits() ? Arrays.copyOfRange(logits, image * classes, (image + 1) * classes) : null;
            ready.add(append(rows[i], c, own, pooled == null ? null : pooled[image], null));
            image++;
        }
        scored += count;
        Arrays.fill(rows, 0, count, null);
    }

    /** Writes the row's image into batch place {@code slot}; the error message, or null when it is in. */
    private String preprocess(Row row, int slot, long index) {
        Object value = row.get(spec.inputIndex());
        if (value == null) {
            return source(row, index) + ": the input is null";
        }
        try {
            if (spec.kind() == InputKind.ENCODED) {
                session.preprocess((byte[]) value, batch, slot * imageFloats);
            } else {
                session.preprocess(SparkImages.toBufferedImage((Row) value), batch, slot * imageFloats);
            }
            return null;
        } catch (ImageReadException | IllegalArgumentException e) {
            return source(row, index) + ": " + e.getMessage();
        }
    }

    /** The stride-32 map averaged over its rows and columns: one value per channel and image. */
    private static float[][] pooledFeatures(List<FeatureMap> maps) {
        FeatureMap last = maps.getLast();
        int pixels = last.height() * last.width();
        int channels = last.channels();
        float[][] pooled = new float[last.images()][channels];
        float[] values = last.values(); // NHWC: the input's layout
        for (int n = 0; n < last.images(); n++) {
            double[] sums = new double[channels];
            for (int p = 0; p < pixels; p++) {
                int at = (n * pixels + p) * channels;
                for (int ch = 0; ch < channels; ch++) {
                    sums[ch] += values[at + ch];
                }
            }
            for (int ch = 0; ch < channels; ch++) {
                pooled[n][ch] = (float) (sums[ch] / pixels);
            }
        }
        return pooled;
    }

    /** The input row with the output columns after it; null outputs when the image failed. */
    private Row append(Row row, Classification c, float[] rowLogits, float[] features, String error) {
        int width = row.length();
        Object[] values = new Object[width + 3 + (spec.logits() ? 1 : 0) + (spec.features() ? 1 : 0)];
        for (int i = 0; i < width; i++) {
            values[i] = row.get(i);
        }
        int at = width;
        if (c != null) {
            // Arrays: Spark's row encoder takes them (or Scala sequences) for array columns, not java.util.List.
            String[] labels = new String[c.top().size()];
            float[] probabilities = new float[labels.length];
            for (int k = 0; k < labels.length; k++) {
                Prediction p = c.top().get(k);
                labels[k] = p.label();
                probabilities[k] = p.probability();
            }
            values[at] = labels;
            values[at + 1] = probabilities;
        }
        at += 2;
        if (spec.logits()) {
            values[at++] = rowLogits == null ? null : Vectors.dense(toDoubles(rowLogits));
        }
        if (spec.features()) {
            values[at++] = features == null ? null : Vectors.dense(toDoubles(features));
        }
        values[at] = error;
        return RowFactory.create(values);
    }

    private static double[] toDoubles(float[] floats) {
        double[] out = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** How the image is named in errors: binaryFile's path, the image struct's origin, else its place. */
    private String source(Row row, long index) {
        if (spec.sourceIndex() >= 0 && !row.isNullAt(spec.sourceIndex())) {
            return row.getString(spec.sourceIndex());
        }
        Object value = row.get(spec.inputIndex());
        if (value instanceof Row struct && struct.schema().getFieldIndex("origin").isDefined()
                && struct.getAs("origin") != null) {
            return struct.getAs("origin");
        }
        return "row " + index + " of partition " + partition;
    }

    private void logFailure(String error) {
        failed++;
        if (failed <= LOGGED_FAILURES) {
            LOG.warn("GhostNetClassifier: partition {}: {}", partition, error);
        }
    }

    /** Gives the session back for the next task and logs the partition's counts. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SessionCache.giveBack(sessionKey, workspace);
        if (failed > 0) {
            LOG.warn("GhostNetClassifier: partition {}: {} of {} images failed (null outputs, message in the error"
                    + " column)", partition, failed, scored);
        } else {
            LOG.info("GhostNetClassifier: partition {}: {} images scored", partition, scored);
        }
    }
}

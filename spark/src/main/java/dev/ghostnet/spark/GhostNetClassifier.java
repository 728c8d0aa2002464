package dev.ghostnet.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Spark ML {@link Transformer} that classifies images with GhostNet: each row's image (PNG or JPEG bytes,
 * such as the {@code content} of {@code spark.read.format("binaryFile")}, or the struct of
 * {@code spark.read.format("image")}) gets its top-k labels and probabilities, optionally its logits and
 * pooled features as vectors, and an error message when the image could not be read (then the outputs are
 * null and the job goes on).
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("hdfs:///images");
 * Dataset<Row> scored = new GhostNetClassifier()
 *         .setWeights("hdfs:///models/fashion/model.safetensors")
 *         .setTopK(3)
 *         .transform(files);
 * }</pre>
 *
 * <p>Each executor JVM loads the model once and shares it between its tasks; each task runs its own
 * session with {@code threadsPerTask} engine threads over batches of {@code batchSize} images of its
 * partition. It is saved and loaded with its parameters (alone or inside a {@code Pipeline}); the weights
 * are not copied, only their location.
 */
public final class GhostNetClassifier extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> weights;
    private final Param<String> config;
    private final IntParam topK;
    private final IntParam batchSize;
    private final IntParam threadsPerTask;
    private final Param<String> labelsCol;
    private final Param<String> probabilitiesCol;
    private final Param<String> logitsCol;
    private final Param<String> featuresCol;
    private final Param<String> errorCol;

    /** A classifier with a fresh uid and the default parameters; the weights must still be set. */
    public GhostNetClassifier() {
        this(Identifiable.randomUID("ghostnet"));
    }

    /**
     * A classifier with the given uid (Spark's copy and load use this constructor).
     *
     * @param uid the stage's identifier
     */
    public GhostNetClassifier(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the image column: binary (PNG or JPEG bytes) or Spark's image struct");
        weights = new Param<>(this, "weights", "the checkpoint (.safetensors or PyTorch .pth): a local path, a"
                + " Hadoop FileSystem URI (hdfs:, s3a:, file: ...) or an http(s) URL");
        config = new Param<>(this, "config", "the timm-style config.json (class names, preprocessing), located like"
                + " the weights; empty for the config.json beside the weights, if any");
        topK = new IntParam(this, "topK", "classes per image (>= 1, capped at the model's classes)",
                ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "images run together per task (>= 1)", ParamValidators.gtEq(1));
        threadsPerTask = new IntParam(this, "threadsPerTask", "engine threads per task (>= 1); give a task as many"
                + " cores with spark.task.cpus", ParamValidators.gtEq(1));
        labelsCol = new Param<>(this, "labelsCol", "output column of the top-k labels, array<string>");
        probabilitiesCol = new Param<>(this, "probabilitiesCol", "output column of the top-k probabilities, array<float>");
        logitsCol = new Param<>(this, "logitsCol", "output column of the logits as a vector; empty for none");
        featuresCol = new Param<>(this, "featuresCol", "output column of the stride-32 features averaged over the"
                + " image, as a vector; empty for none (computing them runs the network a second time)");
        errorCol = new Param<>(this, "errorCol", "output column of the error message of an image that could not be"
                + " read, null for the others");
        setDefault(inputCol, "content");
        setDefault(config, "");
        setDefault(topK, 5);
        setDefault(batchSize, 16);
        setDefault(threadsPerTask, 1);
        setDefault(labelsCol, "labels");
        setDefault(probabilitiesCol, "probabilities");
        setDefault(logitsCol, "");
        setDefault(featuresCol, "");
        setDefault(errorCol, "error");
    }

    @Override
    public String uid() {
        return uid;
    }

    // The params, found by Spark's reflection (public, no arguments, returning a Param).

    /** @return the image column param */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the checkpoint location param */
    public Param<String> weights() {
        return weights;
    }

    /** @return the config.json location param */
    public Param<String> config() {
        return config;
    }

    /** @return the classes-per-image param */
    public IntParam topK() {
        return topK;
    }

    /** @return the batch size param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the engine threads per task param */
    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    /** @return the labels output column param */
    public Param<String> labelsCol() {
        return labelsCol;
    }

    /** @return the probabilities output column param */
    public Param<String> probabilitiesCol() {
        return probabilitiesCol;
    }

    /** @return the logits output column param */
    public Param<String> logitsCol() {
        return logitsCol;
    }

    /** @return the pooled features output column param */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** @return the error output column param */
    public Param<String> errorCol() {
        return errorCol;
    }

    /**
     * @param value the image column
     * @return this
     */
    public GhostNetClassifier setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * @param value the checkpoint: local path, Hadoop FileSystem URI or http(s) URL
     * @return this
     */
    public GhostNetClassifier setWeights(String value) {
        set(weights, value);
        return this;
    }

    /**
     * @param value the config.json, located like the weights; empty for the one beside them
     * @return this
     */
    public GhostNetClassifier setConfig(String value) {
        set(config, value);
        return this;
    }

    /**
     * @param value classes per image, at least 1
     * @return this
     */
    public GhostNetClassifier setTopK(int value) {
        set(topK, value);
        return this;
    }

    /**
     * @param value images run together per task, at least 1
     * @return this
     */
    public GhostNetClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * @param value engine threads per task, at least 1
     * @return this
     */
    public GhostNetClassifier setThreadsPerTask(int value) {
        set(threadsPerTask, value);
        return this;
    }

    /**
     * @param value the labels column
     * @return this
     */
    public GhostNetClassifier setLabelsCol(String value) {
        set(labelsCol, value);
        return this;
    }

    /**
     * @param value the probabilities column
     * @return this
     */
    public GhostNetClassifier setProbabilitiesCol(String value) {
        set(probabilitiesCol, value);
        return this;
    }

    /**
     * @param value the logits column, empty for none
     * @return this
     */
    public GhostNetClassifier setLogitsCol(String value) {
        set(logitsCol, value);
        return this;
    }

    /**
     * @param value the pooled features column, empty for none
     * @return this
     */
    public GhostNetClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /**
     * @param value the error column
     * @return this
     */
    public GhostNetClassifier setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    /** @return the image column */
    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    /** @return the checkpoint location, or null when not set */
    public String getWeights() {
        return isDefined(weights) ? getOrDefault(weights) : null;
    }

    /** @return the config.json location, empty for the one beside the weights */
    public String getConfig() {
        return getOrDefault(config);
    }

    /** @return classes per image */
    public int getTopK() {
        return (Integer) getOrDefault(topK);
    }

    /** @return images run together per task */
    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    /** @return engine threads per task */
    public int getThreadsPerTask() {
        return (Integer) getOrDefault(threadsPerTask);
    }

    /** @return the labels column */
    public String getLabelsCol() {
        return getOrDefault(labelsCol);
    }

    /** @return the probabilities column */
    public String getProbabilitiesCol() {
        return getOrDefault(probabilitiesCol);
    }

    /** @return the logits column, empty for none */
    public String getLogitsCol() {
        return getOrDefault(logitsCol);
    }

    /** @return the pooled features column, empty for none */
    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    /** @return the error column */
    public String getErrorCol() {
        return getOrDefault(errorCol);
    }

    /**
     * The input schema with the output columns appended: labels, probabilities, then logits and features
     * when asked for, then the error.
     *
     * @throws IllegalArgumentException naming the problem: no weights, a missing or wrongly typed input
     *                                  column, an output column that exists already, outputs sharing a name
     */
    @Override
    public StructType transformSchema(StructType schema) {
        String checkpoint = getWeights();
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("GhostNetClassifier: the weights are not set: setWeights(a checkpoint's"
                    + " path or URI)");
        }
        String input = getInputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("GhostNetClassifier: input column '" + input + "' does not exist; the"
                    + " columns are " + Arrays.toString(schema.fieldNames()));
        }
        InputKind.of(input, schema.apply(input).dataType());
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        Set<String> names = new LinkedHashSet<>();
        add(fields, names, schema, "labelsCol", getLabelsCol(),
                DataTypes.createArrayType(DataTypes.StringType, false));
        add(fields, names, schema, "probabilitiesCol", getProbabilitiesCol(),
                DataTypes.createArrayType(DataTypes.FloatType, false));
        if (!getLogitsCol().isEmpty()) {
            add(fields, names, schema, "logitsCol", getLogitsCol(), SQLDataTypes.VectorType());
        }
        if (!getFeaturesCol().isEmpty()) {
            add(fields, names, schema, "featuresCol", getFeaturesCol(), SQLDataTypes.VectorType());
        }
        add(fields, names, schema, "errorCol", getErrorCol(), DataTypes.StringType);
        return DataTypes.createStructType(fields);
    }

    private static void add(List<StructField> fields, Set<String> names, StructType schema, String param, String name,
                            org.apache.spark.sql.types.DataType type) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("GhostNetClassifier: " + param + " must name a column, got '" + name + "'");
        }
        if (Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("GhostNetClassifier: output column '" + name + "' (" + param
                    + ") exists already in the input; choose another name with set" + Character.toUpperCase(param.charAt(0))
                    + param.substring(1));
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("GhostNetClassifier: " + param + " '" + name + "' is also the name of"
                    + " another output column");
        }
        fields.add(DataTypes.createStructField(name, type, true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        Configuration hadoop = dataset.sparkSession().sparkContext().hadoopConfiguration();
        ModelSource.checkExists("weights", getWeights(), hadoop);
        if (!getConfig().isEmpty()) {
            ModelSource.checkExists("config", getConfig(), hadoop);
        }
        Map<String, String> entries = new HashMap<>();
        hadoop.forEach(e -> entries.put(e.getKey(), e.getValue()));
        Broadcast<Map<String, String>> conf = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(entries);
        String input = getInputCol();
        int sourceIndex = -1;
        if (Arrays.asList(in.fieldNames()).contains("path")
                && in.apply("path").dataType().equals(DataTypes.StringType) && !input.equals("path")) {
            sourceIndex = in.fieldIndex("path");
        }
        ScoringSpec spec = new ScoringSpec(new ModelCache.Key(getWeights(), getConfig()), conf,
                InputKind.of(input, in.apply(input).dataType()), in.fieldIndex(input), sourceIndex, getTopK(),
                getBatchSize(), getThreadsPerTask(), !getLogitsCol().isEmpty(), !getFeaturesCol().isEmpty());
        return dataset.toDF().mapPartitions(new ScorePartitions(spec), Encoders.row(out));
    }

    @Override
    public GhostNetClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * The reader Spark's {@code Pipeline} and {@code PipelineModel} loading call by reflection.
     *
     * @return a reader of saved classifiers
     */
    public static MLReader<GhostNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a classifier saved with {@code write().save(path)}.
     *
     * @param path where it was saved
     * @return the classifier
     */
    public static GhostNetClassifier load(String path) {
        return read().load(path);
    }
}

package dev.ghostnet.bench.compare;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime for Java on the exported model: all graph optimisations, {@code threads} intra-op threads,
 * one inter-op thread, sequential execution. The input lives in a direct buffer (no copy per run); the
 * timed run closes its result without converting the logits to Java arrays.
 */
final class OrtEngine implements BenchEngine {
    static final String NAME = "onnxruntime";

    private final OrtSession session;
    private final OnnxTensor input;
    private final Map<String, OnnxTensor> feeds;

    OrtEngine(Path onnxModel, Row row, int size, float[] inputNchw) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(row.threads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = env.createSession(onnxModel.toString(), options);
        }
        FloatBuffer buffer = ByteBuffer.allocateDirect(inputNchw.length * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(inputNchw).flip();
        this.input = OnnxTensor.createTensor(env, buffer, new long[] {row.batch(), 3, size, size});
        this.feeds = Map.of("input", input);
    }

    /** Version of the native library, for the report. */
    static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run() throws OrtException {
        session.run(feeds).close();
    }

    /** Runs once more and converts: the input never changes, so these are the timed runs' logits too. */
    @Override
    public float[] logits() throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            return flatten((float[][]) result.get(0).getValue());
        }
    }

    private static float[] flatten(float[][] rows) {
        int classes = rows[0].length;
        float[] flat = new float[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * classes, classes);
        }
        return flat;
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}

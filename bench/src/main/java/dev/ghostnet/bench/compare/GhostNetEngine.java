package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;

/** This engine: one session over a shared model; the timed run leaves the logits off-heap, uncopied. */
final class GhostNetEngine implements BenchEngine {
    static final String NAME = "ghostnet";

    private final InferenceSession session;

    GhostNetEngine(GhostNetModel model, Row row, int size, float[] inputNchw) {
        this.session = new InferenceSession(model, new SessionOptions(row.batch(), size, size, row.threads()));
        session.setInputNchw(inputNchw);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run() {
        session.run();
    }

    @Override
    public float[] logits() {
        return session.logits().toArray();
    }

    @Override
    public void close() {
        session.close();
    }
}

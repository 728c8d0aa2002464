package dev.ghostnet.bench.compare;

import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.engine.runtime.Warmup;

/**
 * This engine: one session over a shared model; the timed run leaves the logits off-heap, uncopied. The
 * session is created as a {@code GhostNetSession} is, after the engine's once-per-JVM {@link Warmup}, so the
 * start-up probe and the timed rows see what a user's first session gets.
 */
final class GhostNetEngine implements BenchEngine {
    static final String NAME = "ghostnet";

    private final InferenceSession session;

    GhostNetEngine(GhostNetModel model, Row row, int size, float[] inputNchw) {
        Warmup.ensure(model, row.threads());
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

package dev.ghostnet.spark;

import dev.ghostnet.GhostNet;
import dev.ghostnet.GhostNetSession;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The idle sessions of this JVM, by model, threads and batch size: a task borrows one for its partition
 * and gives it back when done, so a session's buffers are allocated once per concurrently running task
 * rather than once per partition (opening one plans and allocates its activations: tens of milliseconds
 * at 224x224, a tenth of a 32-image partition). There are never more sessions than tasks have run at once;
 * like the models, they live as long as the JVM.
 */
final class SessionCache {
    /** Which sessions are interchangeable: same model, same threads, same batch capacity. */
    record Key(ModelCache.Key model, int threads, int batchSize) {}

    /**
     * A session with the heap arrays a partition fills for it: one batch of preprocessed NHWC images and its
     * logits (at 224x224 a batch of 16 is 9.6 MB: allocated once, not per partition).
     */
    record Workspace(GhostNetSession session, float[] batch, float[] logits, int imageFloats, int classes) {
        static Workspace of(GhostNet model, Key key) {
            GhostNetSession session = model.newSession(model.sessionDefaults().withThreads(key.threads())
                    .withBatchCapacity(key.batchSize()));
            int crop = session.config().preprocessing().crop();
            int imageFloats = crop * crop * 3;
            return new Workspace(session, new float[key.batchSize() * imageFloats],
                    new float[key.batchSize() * model.numClasses()], imageFloats, model.numClasses());
        }
    }

    private static final Map<Key, Queue<Workspace>> IDLE = new ConcurrentHashMap<>();

    private SessionCache() {}

    /** An idle workspace of the key, or a new one of the model; the caller gives it back when done. */
    static Workspace borrow(Key key, GhostNet model) {
        Workspace idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return idle != null ? idle : Workspace.of(model, key);
    }

    /** Makes a workspace free for the next task. */
    static void giveBack(Key key, Workspace workspace) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(workspace);
    }
}

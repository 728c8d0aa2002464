package dev.ghostnet.spark;

import dev.ghostnet.GhostNet;
import dev.ghostnet.LoadOptions;
import dev.ghostnet.ModelLoadException;
import dev.ghostnet.PoolConfig;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The models of this JVM (a Spark executor, or the driver in local mode), one per weights location and
 * config, loaded by the first task that needs it and shared by all later ones: the packed weights are
 * off-heap and read-only, so every task thread runs its own session over the same model. Models live as
 * long as the JVM (executors are reused across jobs and stages, so a later transform pays no load).
 */
final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<Key, GhostNet> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    /** Which model: the weights and the config.json as the user wrote them ("" for the one beside the weights). */
    record Key(String weights, String config) implements Serializable {}

    private ModelCache() {}

    /**
     * The model for the key, loaded now if no task of this JVM has loaded it yet; concurrent first callers
     * wait for one load.
     *
     * @throws IllegalStateException naming the location and the reason when the model cannot be loaded
     *                               (the task fails: every row would fail alike)
     */
    static GhostNet get(Key key, Supplier<Configuration> hadoop) {
        return MODELS.computeIfAbsent(key, k -> load(k, hadoop.get()));
    }

    /** How many models this JVM has loaded (tests check that tasks share one). */
    static int loads() {
        return LOADS.get();
    }

    private static GhostNet load(Key key, Configuration hadoop) {
        long start = System.nanoTime();
        try {
            Path weights = ModelSource.localFile(key.weights(), hadoop);
            Path config = key.config().isEmpty() ? ModelSource.configBeside(key.weights(), hadoop).orElse(null)
                    : ModelSource.localFile(key.config(), hadoop);
            // The transformer opens its own sessions; the model's pool is for its convenience calls only.
            GhostNet model = GhostNet.load(weights, LoadOptions.defaults().withConfig(config)
                    .withPool(new PoolConfig(1, null)));
            LOADS.incrementAndGet();
            LOG.info("GhostNetClassifier: loaded {} in {} ms: {}", key.weights(), (System.nanoTime() - start) / 1_000_000,
                    model);
            return model;
        } catch (IOException | ModelLoadException | RuntimeException e) {
            throw new IllegalStateException("GhostNetClassifier: cannot load the model " + key.weights()
                    + (key.config().isEmpty() ? "" : " with config " + key.config()) + ": " + e.getMessage(), e);
        }
    }
}

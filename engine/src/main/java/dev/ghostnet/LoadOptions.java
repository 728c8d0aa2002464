package dev.ghostnet;

import java.nio.file.Path;

/**
 * What {@link GhostNet#load(Path, LoadOptions)} uses besides the checkpoint.
 *
 * @param config a timm-style {@code config.json} (class names, input size, mean, std, interpolation,
 *               crop_pct), or null for the one in the checkpoint's directory if there is one
 * @param labels a text file of class names, one per line in class-index order, overriding the config's;
 *               or null
 * @param pool    the sessions behind the model's thread-safe calls
 * @param kernels which kernel family runs the model
 */
public record LoadOptions(Path config, Path labels, PoolConfig pool, KernelChoice kernels) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when {@code pool} or {@code kernels} is null
     */
    public LoadOptions {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must not be null");
        }
    }

    /**
     * The config.json beside the checkpoint, its labels, {@link PoolConfig#defaults()}, {@link KernelChoice#AUTO}.
     *
     * @return the default options
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, null, PoolConfig.defaults(), KernelChoice.AUTO);
    }

    /**
     * These options with an explicit config.json.
     *
     * @param newConfig the file, or null for the one beside the checkpoint
     * @return the new options
     */
    public LoadOptions withConfig(Path newConfig) {
        return new LoadOptions(newConfig, labels, pool, kernels);
    }

    /**
     * These options with a label file.
     *
     * @param newLabels the file, or null for the config's names
     * @return the new options
     */
    public LoadOptions withLabels(Path newLabels) {
        return new LoadOptions(config, newLabels, pool, kernels);
    }

    /**
     * These options with another pool.
     *
     * @param newPool the pool
     * @return the new options
     */
    public LoadOptions withPool(PoolConfig newPool) {
        return new LoadOptions(config, labels, newPool, kernels);
    }

    /**
     * These options with another kernel family.
     *
     * @param newKernels the family
     * @return the new options
     */
    public LoadOptions withKernels(KernelChoice newKernels) {
        return new LoadOptions(config, labels, pool, newKernels);
    }
}

package dev.ghostnet;

import dev.ghostnet.engine.image.PreprocessConfig;

import java.util.Arrays;

/**
 * How images become network input, torchvision's evaluation transform: resize the shorter side to
 * {@code resizeShorter} with {@code interpolation}, centre-crop {@code crop} x {@code crop}, scale to [0, 1]
 * and normalise each RGB channel with {@code mean} and {@code std}. The network then runs at crop x crop,
 * and preprocessed {@link ImageTensor}s given to a session must have that size too. A model loaded with a
 * timm-style {@code config.json} carries its own ({@link GhostNet#preprocessing()}).
 *
 * @param resizeShorter the length the shorter side is resized to (256 for ImageNet)
 * @param crop          the side of the square centre crop, which is the network's input size (224)
 * @param interpolation the resize filter
 * @param mean          the per-channel mean subtracted after scaling to [0, 1] (R, G, B)
 * @param std           the per-channel standard deviation divided by (R, G, B)
 */
public record Preprocessing(int resizeShorter, int crop, Interpolation interpolation, float[] mean, float[] std) {
    /**
     * Checks the values and copies the arrays.
     *
     * @throws IllegalArgumentException when a size is not positive, the interpolation is null, or mean and
     *                                  std are not three finite values (std positive)
     */
    public Preprocessing {
        if (interpolation == null) {
            throw new IllegalArgumentException("interpolation must not be null");
        }
        if (mean == null || std == null) {
            throw new IllegalArgumentException("mean and std must not be null");
        }
        mean = mean.clone();
        std = std.clone();
        new PreprocessConfig(resizeShorter, crop, interpolation.filter(), mean, std);
    }

    /**
     * A transform normalised with ImageNet's mean and standard deviation.
     *
     * @param resizeShorter the length the shorter side is resized to
     * @param crop          the side of the square centre crop
     * @param interpolation the resize filter
     */
    public Preprocessing(int resizeShorter, int crop, Interpolation interpolation) {
        this(resizeShorter, crop, interpolation, PreprocessConfig.imagenet().mean(), PreprocessConfig.imagenet().std());
    }

    /**
     * torchvision's ImageNet evaluation transform: resize 256 bilinear, centre crop 224.
     *
     * @return that transform
     */
    public static Preprocessing imagenet() {
        return imagenet(Interpolation.BILINEAR);
    }

    /**
     * The ImageNet transform with another filter; {@code BICUBIC} is timm's setting for GhostNet.
     *
     * @param interpolation the resize filter
     * @return resize 256, crop 224 with that filter
     */
    public static Preprocessing imagenet(Interpolation interpolation) {
        return new Preprocessing(256, 224, interpolation);
    }

    /**
     * This transform with another resize filter.
     *
     * @param newInterpolation the resize filter
     * @return the new transform
     */
    public Preprocessing withInterpolation(Interpolation newInterpolation) {
        return new Preprocessing(resizeShorter, crop, newInterpolation, mean, std);
    }

    /**
     * The per-channel mean (R, G, B).
     *
     * @return a copy of it
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The per-channel standard deviation (R, G, B).
     *
     * @return a copy of it
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** Value equality, the mean and std arrays by content: the engine's own config decides it. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.toConfig().equals(toConfig());
    }

    @Override
    public int hashCode() {
        return toConfig().hashCode();
    }

    @Override
    public String toString() {
        return "resize " + resizeShorter + " " + interpolation.name().toLowerCase(java.util.Locale.ROOT) + ", crop "
                + crop + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    PreprocessConfig toConfig() {
        return new PreprocessConfig(resizeShorter, crop, interpolation.filter(), mean, std);
    }

    /** The public form of a transform read from a model's configuration. */
    static Preprocessing of(PreprocessConfig config) {
        return new Preprocessing(config.resizeShorter(), config.crop(), Interpolation.of(config.interpolation()),
                config.mean(), config.std());
    }
}

package dev.ghostnet;

import dev.ghostnet.engine.image.PreprocessConfig;

/**
 * How images become network input, torchvision's evaluation transform: resize the shorter side to
 * {@code resizeShorter} with {@code interpolation}, centre-crop {@code crop} x {@code crop}, scale to [0, 1]
 * and normalise with the ImageNet mean and standard deviation. The network then runs at crop x crop, and
 * preprocessed {@link ImageTensor}s given to a session must have that size too.
 *
 * @param resizeShorter the length the shorter side is resized to (256 for ImageNet)
 * @param crop          the side of the square centre crop, which is the network's input size (224)
 * @param interpolation the resize filter
 */
public record Preprocessing(int resizeShorter, int crop, Interpolation interpolation) {
    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException when a size is not positive or the interpolation is null
     */
    public Preprocessing {
        if (interpolation == null) {
            throw new IllegalArgumentException("interpolation must not be null");
        }
        toConfig(resizeShorter, crop, interpolation);
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

    PreprocessConfig toConfig() {
        return toConfig(resizeShorter, crop, interpolation);
    }

    private static PreprocessConfig toConfig(int resizeShorter, int crop, Interpolation interpolation) {
        PreprocessConfig imagenet = PreprocessConfig.imagenet();
        return new PreprocessConfig(resizeShorter, crop, interpolation.filter(), imagenet.mean(), imagenet.std());
    }
}

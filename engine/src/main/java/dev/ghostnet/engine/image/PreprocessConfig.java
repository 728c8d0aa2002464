package dev.ghostnet.engine.image;

import java.util.Arrays;

/**
 * The evaluation transform, torchvision style: {@code Resize(resizeShorter, interpolation)},
 * {@code CenterCrop(crop)}, {@code ToTensor()}, {@code Normalize(mean, std)}, RGB channel order.
 *
 * @param resizeShorter the length the shorter side is resized to; the longer side becomes
 *                      {@code floor(resizeShorter * long / short)}, as torchvision computes it
 * @param crop          the side of the square centre crop
 * @param interpolation PIL's resampling filter used by the resize
 * @param mean          per-channel mean (R, G, B) subtracted from the [0, 1] pixel values
 * @param std           per-channel standard deviation (R, G, B) the result is divided by
 */
public record PreprocessConfig(int resizeShorter, int crop, Interpolation interpolation, float[] mean, float[] std) {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public PreprocessConfig {
        if (resizeShorter <= 0 || crop <= 0) {
            throw new IllegalArgumentException("resize and crop sizes must be positive, got resize " + resizeShorter
                    + ", crop " + crop);
        }
        if (interpolation == null) {
            throw new IllegalArgumentException("interpolation must not be null");
        }
        mean = checkedChannels("mean", mean);
        std = checkedChannels("std", std);
        for (float s : std) {
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite, got " + Arrays.toString(std));
            }
        }
    }

    /** torchvision's ImageNet evaluation transform: Resize(256) bilinear, CenterCrop(224), ImageNet statistics. */
    public static PreprocessConfig imagenet() {
        return imagenet(Interpolation.BILINEAR);
    }

    /**
     * The same with another filter; {@code imagenet(BICUBIC)} is timm's {@code ghostnet_100} eval config
     * (bicubic, crop_pct 0.875, so 224 / 0.875 = 256).
     */
    public static PreprocessConfig imagenet(Interpolation interpolation) {
        return new PreprocessConfig(256, 224, interpolation, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** The same transform with another resize filter. */
    public PreprocessConfig withInterpolation(Interpolation newInterpolation) {
        return new PreprocessConfig(resizeShorter, crop, newInterpolation, mean, std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessConfig c && resizeShorter == c.resizeShorter && crop == c.crop
                && interpolation == c.interpolation && Arrays.equals(mean, c.mean) && Arrays.equals(std, c.std);
    }

    @Override
    public int hashCode() {
        return ((resizeShorter * 31 + crop) * 31 + interpolation.hashCode()) * 31 * 31
                + Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "PreprocessConfig[resize=" + resizeShorter + ", crop=" + crop + ", " + interpolation + ", mean="
                + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }

    private static float[] checkedChannels(String name, float[] values) {
        if (values == null || values.length != 3) {
            throw new IllegalArgumentException(name + " must have 3 values (R, G, B), got "
                    + (values == null ? "null" : Arrays.toString(values)));
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + " values must be finite, got " + Arrays.toString(values));
            }
        }
        return values.clone();
    }
}

package dev.ghostnet.engine.model;

import java.util.List;

/**
 * Which GhostNet: the version, a width multiplier and the number of classes. Every channel count c of the cfg
 * table becomes {@link #scaled}{@code (c)}; {@link #describe} turns a config into the network.
 */
public record GhostNetConfig(Version version, double width, int numClasses) {
    /** The variants, each with its describer. */
    public enum Version {
        V1("GhostNet v1"),
        V2("GhostNet v2");

        private final String title;

        Version(String title) {
            this.title = title;
        }

        @Override
        public String toString() {
            return title;
        }
    }

    public static final int IMAGENET_CLASSES = 1000;
    /** The three published widths, tried first when a checkpoint's width is inferred. */
    public static final List<Double> PUBLISHED_WIDTHS = List.of(1.0, 0.5, 1.3);

    public GhostNetConfig {
        if (version == null) {
            throw new IllegalArgumentException("version must be given");
        }
        if (!(width > 0) || width > 16) {
            throw new IllegalArgumentException("width multiplier must be in (0, 16], got " + width);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
        }
    }

    /** GhostNet v1. */
    public GhostNetConfig(double width, int numClasses) {
        this(Version.V1, width, numClasses);
    }

    /** GhostNet v1 with ImageNet's classes. */
    public static GhostNetConfig imagenet(double width) {
        return new GhostNetConfig(width, IMAGENET_CLASSES);
    }

    /** The network this config names. */
    public ModelDescription describe() {
        return switch (version) {
            case V1 -> GhostNetV1.describe(this);
            case V2 -> GhostNetV2.describe(this);
        };
    }

    /** The official {@code _make_divisible}: round to the nearest multiple, never below 90% of v. */
    public static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }

    /** A channel count of the cfg table at this width: {@code makeDivisible(channels * width, 4)}. */
    public int scaled(int channels) {
        return makeDivisible(channels * width, 4);
    }

    @Override
    public String toString() {
        return version + " (width " + width + ", " + numClasses + " classes)";
    }
}

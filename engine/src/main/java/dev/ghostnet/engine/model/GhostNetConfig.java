package dev.ghostnet.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * GhostNet v1 as data: the cfg table of Han et al. (CVPR 2020), a width multiplier and the number of
 * classes. Every channel count c becomes {@code makeDivisible(c * width, 4)}; the head's 1280 does not.
 * The state_dict prefix {@code blocks.S.B} is stage S, block B of {@link #STAGES}.
 */
public record GhostNetConfig(double width, int numClasses) {
    /** k, expansion, out, se ratio, stride — grouped into stages as the official code groups them. */
    public static final List<List<BlockSpec>> STAGES = List.of(
            List.of(new BlockSpec(3, 16, 16, 0, 1)),
            List.of(new BlockSpec(3, 48, 24, 0, 2)),
            List.of(new BlockSpec(3, 72, 24, 0, 1)),
            List.of(new BlockSpec(5, 72, 40, 0.25f, 2)),
            List.of(new BlockSpec(5, 120, 40, 0.25f, 1)),
            List.of(new BlockSpec(3, 240, 80, 0, 2)),
            List.of(new BlockSpec(3, 200, 80, 0, 1),
                    new BlockSpec(3, 184, 80, 0, 1),
                    new BlockSpec(3, 184, 80, 0, 1),
                    new BlockSpec(3, 480, 112, 0.25f, 1),
                    new BlockSpec(3, 672, 112, 0.25f, 1)),
            List.of(new BlockSpec(5, 672, 160, 0.25f, 2)),
            List.of(new BlockSpec(5, 960, 160, 0, 1),
                    new BlockSpec(5, 960, 160, 0.25f, 1),
                    new BlockSpec(5, 960, 160, 0, 1),
                    new BlockSpec(5, 960, 160, 0.25f, 1)));

    public static final int STEM_CHANNELS = 16;
    public static final int LAST_CONV_CHANNELS = 960;
    public static final int HEAD_CHANNELS = 1280;
    public static final int IMAGENET_CLASSES = 1000;
    /** The three published widths, tried first when a checkpoint's width is inferred. */
    public static final List<Double> PUBLISHED_WIDTHS = List.of(1.0, 0.5, 1.3);

    public GhostNetConfig {
        if (!(width > 0) || width > 16) {
            throw new IllegalArgumentException("width multiplier must be in (0, 16], got " + width);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
        }
    }

    public static GhostNetConfig imagenet(double width) {
        return new GhostNetConfig(width, IMAGENET_CLASSES);
    }

    /** The official {@code _make_divisible}: round to the nearest multiple, never below 90% of v. */
    public static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }

    public int scaled(int channels) {
        return makeDivisible(channels * width, 4);
    }

    public int stemChannels() {
        return scaled(STEM_CHANNELS);
    }

    public int lastConvChannels() {
        return scaled(LAST_CONV_CHANNELS);
    }

    /** The 16 bottlenecks in execution order, with their scaled channel counts. */
    public List<Bottleneck> bottlenecks() {
        List<Bottleneck> blocks = new ArrayList<>();
        int in = stemChannels();
        for (int s = 0; s < STAGES.size(); s++) {
            List<BlockSpec> stage = STAGES.get(s);
            for (int b = 0; b < stage.size(); b++) {
                BlockSpec spec = stage.get(b);
                int mid = scaled(spec.expansion());
                int out = scaled(spec.out());
                int reduced = spec.hasSqueezeExcite() ? makeDivisible(mid * spec.seRatio(), 4) : 0;
                blocks.add(new Bottleneck("blocks." + s + "." + b, in, mid, out, spec.kernelSize(), spec.stride(),
                        reduced));
                in = out;
            }
        }
        return blocks;
    }

    /** The state_dict prefix of the final 1x1 ConvBnAct (160 -> 960 at width 1.0). */
    public static String lastConvPrefix() {
        return lastConvStage() + ".0";
    }

    /**
     * The stage name of the final ConvBnAct's output: the whole {@code blocks.9} Sequential, as the PyTorch
     * reference names its stage outputs (the other stages are single bottlenecks, {@code blocks.S.B}).
     */
    public static String lastConvStage() {
        return "blocks." + STAGES.size();
    }

    @Override
    public String toString() {
        return "GhostNet v1 (width " + width + ", " + numClasses + " classes)";
    }
}

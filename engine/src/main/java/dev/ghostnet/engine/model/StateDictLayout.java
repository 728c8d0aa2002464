package dev.ghostnet.engine.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float32 tensors a GhostNet v1 state_dict holds for a config, with their shapes, in the official
 * implementation's key names (shared by timm's {@code ghostnet_100}). BatchNorm's {@code num_batches_tracked}
 * is not listed: it is optional and unused at inference.
 */
public final class StateDictLayout {
    private StateDictLayout() {}

    public static Map<String, long[]> expectedShapes(GhostNetConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        int stem = config.stemChannels();
        conv(shapes, "conv_stem", stem, 3, 3);
        batchNorm(shapes, "bn1", stem);
        for (Bottleneck b : config.bottlenecks()) {
            ghostModule(shapes, b.prefix() + ".ghost1", b.in(), b.mid());
            if (b.stride() > 1) {
                conv(shapes, b.prefix() + ".conv_dw", b.mid(), 1, b.kernelSize());
                batchNorm(shapes, b.prefix() + ".bn_dw", b.mid());
            }
            if (b.hasSqueezeExcite()) {
                conv(shapes, b.prefix() + ".se.conv_reduce", b.seReduced(), b.mid(), 1);
                shapes.put(b.prefix() + ".se.conv_reduce.bias", new long[] {b.seReduced()});
                conv(shapes, b.prefix() + ".se.conv_expand", b.mid(), b.seReduced(), 1);
                shapes.put(b.prefix() + ".se.conv_expand.bias", new long[] {b.mid()});
            }
            ghostModule(shapes, b.prefix() + ".ghost2", b.mid(), b.out());
            if (!b.identityShortcut()) {
                conv(shapes, b.prefix() + ".shortcut.0", b.in(), 1, b.kernelSize());
                batchNorm(shapes, b.prefix() + ".shortcut.1", b.in());
                conv(shapes, b.prefix() + ".shortcut.2", b.out(), b.in(), 1);
                batchNorm(shapes, b.prefix() + ".shortcut.3", b.out());
            }
        }
        String last = GhostNetConfig.lastConvPrefix();
        int lastIn = config.scaled(GhostNetConfig.STAGES.getLast().getLast().out());
        conv(shapes, last + ".conv", config.lastConvChannels(), lastIn, 1);
        batchNorm(shapes, last + ".bn1", config.lastConvChannels());
        conv(shapes, "conv_head", GhostNetConfig.HEAD_CHANNELS, config.lastConvChannels(), 1);
        shapes.put("conv_head.bias", new long[] {GhostNetConfig.HEAD_CHANNELS});
        shapes.put("classifier.weight", new long[] {config.numClasses(), GhostNetConfig.HEAD_CHANNELS});
        shapes.put("classifier.bias", new long[] {config.numClasses()});
        return shapes;
    }

    /**
     * Trainable parameters, as {@code sum(p.numel() for p in model.parameters())} counts them: BatchNorm's
     * running mean and variance are buffers, not parameters. 5,182,508 at width 1.0 with 1000 classes.
     */
    public static long parameterCount(GhostNetConfig config) {
        long count = 0;
        for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
            if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("running_var")) continue;
            long n = 1;
            for (long d : e.getValue()) n *= d;
            count += n;
        }
        return count;
    }

    /** Channels of a ghost module's primary conv: {@code ceil(out / 2)}; the cheap op makes as many again. */
    public static int ghostInitChannels(int out) {
        return (out + 1) / 2;
    }

    private static void ghostModule(Map<String, long[]> shapes, String prefix, int in, int out) {
        int init = ghostInitChannels(out);
        conv(shapes, prefix + ".primary_conv.0", init, in, 1);
        batchNorm(shapes, prefix + ".primary_conv.1", init);
        conv(shapes, prefix + ".cheap_operation.0", init, 1, 3);
        batchNorm(shapes, prefix + ".cheap_operation.1", init);
    }

    private static void conv(Map<String, long[]> shapes, String prefix, int out, int inPerGroup, int k) {
        shapes.put(prefix + ".weight", new long[] {out, inPerGroup, k, k});
    }

    private static void batchNorm(Map<String, long[]> shapes, String prefix, int channels) {
        for (String field : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            shapes.put(prefix + "." + field, new long[] {channels});
        }
    }
}

package dev.ghostnet.kernels;

/**
 * The specification: every kernel written the obvious way over {@link Tensor} (NHWC, element (n, h, w, c)
 * read with {@link Tensor#get}), with no blocking, packing or vectorisation. Fast kernels are tested
 * against these. Weights use PyTorch's layouts.
 */
public final class ScalarReference {
    private ScalarReference() {}

    /**
     * General 2-D convolution, any kernel size, stride, padding and groups. weights {@code [out][in/groups][k][k]},
     * bias {@code [out]} or null. Output rows {@code [rowFrom, rowTo)} of the flattened N*Hout rows.
     * {@code out = act(conv(in) + bias) + residual}, residual may be null.
     */
    public static void conv2d(Tensor in, Tensor out, float[] weights, float[] bias, ConvGeometry g,
                              Activation activation, Tensor residual, int rowFrom, int rowTo) {
        int inPerGroup = g.inChannels() / g.groups();
        int outPerGroup = g.outChannels() / g.groups();
        int k = g.kernelSize();
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / out.height();
            int oh = row % out.height();
            for (int ow = 0; ow < out.width(); ow++) {
                for (int o = 0; o < g.outChannels(); o++) {
                    int group = o / outPerGroup;
                    double sum = bias == null ? 0 : bias[o];
                    for (int kh = 0; kh < k; kh++) {
                        int ih = oh * g.stride() + kh - g.padding();
                        if (ih < 0 || ih >= in.height()) continue;
                        for (int kw = 0; kw < k; kw++) {
                            int iw = ow * g.stride() + kw - g.padding();
                            if (iw < 0 || iw >= in.width()) continue;
                            for (int i = 0; i < inPerGroup; i++) {
                                float w = weights[((o * inPerGroup + i) * k + kh) * k + kw];
                                sum += (double) w * in.get(n, ih, iw, group * inPerGroup + i);
                            }
                        }
                    }
                    float y = activation.apply((float) sum);
                    if (residual != null) y += residual.get(n, oh, ow, o);
                    out.set(n, oh, ow, o, y);
                }
            }
        }
    }

    /** {@code out[n, 0, 0, c] = mean over h, w of in[n, h, w, c]}. */
    public static void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo) {
        for (int n = imageFrom; n < imageTo; n++) {
            for (int c = 0; c < in.channels(); c++) {
                double sum = 0;
                for (int h = 0; h < in.height(); h++) {
                    for (int w = 0; w < in.width(); w++) {
                        sum += in.get(n, h, w, c);
                    }
                }
                out.set(n, 0, 0, c, (float) (sum / ((double) in.height() * in.width())));
            }
        }
    }

    /** {@code out[o] = act(bias[o] + sum_i w[o][i] * x[i])} on plain arrays; the fully connected layer. */
    public static void linear(float[] x, float[] weights, float[] bias, Activation activation, float[] out,
                              int inFeatures, int outFeatures) {
        for (int o = 0; o < outFeatures; o++) {
            double sum = bias == null ? 0 : bias[o];
            for (int i = 0; i < inFeatures; i++) {
                sum += (double) weights[o * inFeatures + i] * x[i];
            }
            out[o] = activation.apply((float) sum);
        }
    }

    /** relu6(x + 3) / 6, the gate of GhostNet's squeeze-excite. */
    public static float hardSigmoid(float x) {
        return Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }

    /** Squeeze-excite in place on images {@code [imageFrom, imageTo)}; see {@link SqueezeExcite}. */
    public static void squeezeExcite(Tensor x, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                     float[] expandBias, int reduced, int imageFrom, int imageTo) {
        float[] hidden = new float[reduced];
        for (int n = imageFrom; n < imageTo; n++) {
            squeeze(x, n, reduceWeights, reduceBias, reduced, hidden, 0, reduced);
            excite(x, n, expandWeights, expandBias, reduced, hidden, 0, x.channels());
        }
    }

    /**
     * The first half of squeeze-excite on image {@code n}: {@code hidden[o] = relu(br[o] + sum_c Wr[o][c] *
     * mean_hw x[n, h, w, c])} for hidden units {@code o} in {@code [from, to)}.
     */
    public static void squeeze(Tensor x, int n, float[] reduceWeights, float[] reduceBias, int reduced, float[] hidden,
                               int from, int to) {
        int c = x.channels();
        float[] pooled = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int h = 0; h < x.height(); h++) {
                for (int w = 0; w < x.width(); w++) {
                    sum += x.get(n, h, w, ch);
                }
            }
            pooled[ch] = (float) (sum / ((double) x.height() * x.width()));
        }
        for (int o = from; o < to; o++) {
            double sum = reduceBias[o];
            for (int ch = 0; ch < c; ch++) {
                sum += (double) reduceWeights[o * c + ch] * pooled[ch];
            }
            hidden[o] = Activation.RELU.apply((float) sum);
        }
    }

    /**
     * The second half of squeeze-excite on image {@code n}: {@code x[n, h, w, ch] *= hardSigmoid(be[ch] + sum_o
     * We[ch][o] * hidden[o])} for channels {@code ch} in {@code [from, to)}.
     */
    public static void excite(Tensor x, int n, float[] expandWeights, float[] expandBias, int reduced, float[] hidden,
                              int from, int to) {
        for (int ch = from; ch < to; ch++) {
            double sum = expandBias[ch];
            for (int o = 0; o < reduced; o++) {
                sum += (double) expandWeights[ch * reduced + o] * hidden[o];
            }
            float gate = hardSigmoid((float) sum);
            for (int h = 0; h < x.height(); h++) {
                for (int w = 0; w < x.width(); w++) {
                    x.set(n, h, w, ch, x.get(n, h, w, ch) * gate);
                }
            }
        }
    }

    /** {@code out = a + b} over flattened pixels {@code [pixelFrom, pixelTo)}. */
    public static void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo) {
        forEachPixel(out, pixelFrom, pixelTo, (n, h, w) -> {
            for (int c = 0; c < out.channels(); c++) {
                out.set(n, h, w, c, a.get(n, h, w, c) + b.get(n, h, w, c));
            }
        });
    }

    /** {@code out = a} over flattened pixels {@code [pixelFrom, pixelTo)}. */
    public static void copy(Tensor a, Tensor out, long pixelFrom, long pixelTo) {
        forEachPixel(out, pixelFrom, pixelTo, (n, h, w) -> {
            for (int c = 0; c < out.channels(); c++) {
                out.set(n, h, w, c, a.get(n, h, w, c));
            }
        });
    }

    /** In place {@code x = hardSigmoid(x)} over flattened pixels {@code [pixelFrom, pixelTo)}. */
    public static void hardSigmoid(Tensor x, long pixelFrom, long pixelTo) {
        forEachPixel(x, pixelFrom, pixelTo, (n, h, w) -> {
            for (int c = 0; c < x.channels(); c++) {
                x.set(n, h, w, c, hardSigmoid(x.get(n, h, w, c)));
            }
        });
    }

    /** In place {@code x = max(x, 0)} over every element. */
    public static void relu(Tensor x) {
        forEachPixel(x, 0, x.pixels(), (n, h, w) -> {
            for (int c = 0; c < x.channels(); c++) {
                x.set(n, h, w, c, Math.max(0f, x.get(n, h, w, c)));
            }
        });
    }

    private interface PixelAction {
        void at(int n, int h, int w);
    }

    private static void forEachPixel(Tensor t, long pixelFrom, long pixelTo, PixelAction action) {
        for (long p = pixelFrom; p < pixelTo; p++) {
            int w = (int) (p % t.width());
            long rest = p / t.width();
            action.at((int) (rest / t.height()), (int) (rest % t.height()), w);
        }
    }
}

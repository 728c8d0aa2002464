package dev.ghostnet.kernels;

/**
 * The specification of the windowed ops that {@link ScalarReference#conv2d}'s square "same" windows do not
 * cover, written the obvious way over NHWC {@link Tensor}s (element (n, h, w, c) read with {@link Tensor#get}):
 * a depthwise conv with any kernel height and width and zero padding per axis, average pooling without padding,
 * and a gate that scales a tensor by the sigmoid of a smaller one, upsampled nearest. Each runs output rows
 * {@code [rowFrom, rowTo)} of the flattened N*Hout rows; sums are taken in double.
 */
public final class WindowReference {
    private WindowReference() {}

    /**
     * {@code out[n, oh, ow, c] = act(bias[c] + sum_{kh, kw} in[n, oh*s + kh - padH, ow*s + kw - padW, c] * w[c][kh][kw])
     * + residual[n, oh, ow, c]}, taps outside the image reading zero; weights {@code [channels][kernelH][kernelW]}
     * (PyTorch's {@code [c][1][kh][kw]}), residual may be null.
     */
    public static void depthwise(Tensor in, Tensor out, float[] weights, float[] bias, int kernelH, int kernelW,
                                 int stride, int padH, int padW, Activation activation, Tensor residual, int rowFrom,
                                 int rowTo) {
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / out.height();
            int oh = row % out.height();
            for (int ow = 0; ow < out.width(); ow++) {
                for (int c = 0; c < out.channels(); c++) {
                    double sum = bias[c];
                    for (int kh = 0; kh < kernelH; kh++) {
                        int ih = oh * stride + kh - padH;
                        for (int kw = 0; kw < kernelW; kw++) {
                            int iw = ow * stride + kw - padW;
                            if (ih >= 0 && ih < in.height() && iw >= 0 && iw < in.width()) {
                                sum += (double) weights[(c * kernelH + kh) * kernelW + kw] * in.get(n, ih, iw, c);
                            }
                        }
                    }
                    float y = activation.apply((float) sum);
                    out.set(n, oh, ow, c, residual == null ? y : y + residual.get(n, oh, ow, c));
                }
            }
        }
    }

    /**
     * {@code out[n, oh, ow, c] = mean over i, j < kernel of in[n, oh*s + i, ow*s + j, c]}: no padding, so the
     * output is {@code floor((in - kernel) / s) + 1} and a trailing row or column that fills no window is dropped.
     */
    public static void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo) {
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / out.height();
            int oh = row % out.height();
            for (int ow = 0; ow < out.width(); ow++) {
                for (int c = 0; c < out.channels(); c++) {
                    double sum = 0;
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            sum += in.get(n, oh * stride + i, ow * stride + j, c);
                        }
                    }
                    out.set(n, oh, ow, c, (float) (sum / (kernel * kernel)));
                }
            }
        }
    }

    /**
     * In place {@code x[n, h, w, c] *= sigmoid(gate[n, nearestSource(h), nearestSource(w), c])}, the gate resized
     * to {@code x}'s height and width as PyTorch's {@code interpolate(mode='nearest')} does; rows of {@code x}.
     */
    public static void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo) {
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / x.height();
            int h = row % x.height();
            int gh = nearestSource(h, gate.height(), x.height());
            for (int w = 0; w < x.width(); w++) {
                int gw = nearestSource(w, gate.width(), x.width());
                for (int c = 0; c < x.channels(); c++) {
                    double s = 1 / (1 + Math.exp(-(double) gate.get(n, gh, gw, c)));
                    x.set(n, h, w, c, (float) (x.get(n, h, w, c) * s));
                }
            }
        }
    }

    /**
     * The source index PyTorch's nearest resize reads for output index {@code dst}:
     * {@code min(floor(dst * (float) inSize / outSize), inSize - 1)}, the scale rounded to float as PyTorch does.
     */
    public static int nearestSource(int dst, int inSize, int outSize) {
        float scale = (float) inSize / outSize;
        return Math.min((int) Math.floor(dst * scale), inSize - 1);
    }
}

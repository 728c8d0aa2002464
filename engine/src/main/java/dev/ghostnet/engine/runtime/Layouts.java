package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.Tensor;

/** Conversions between the engine's NHWC tensors and the NCHW arrays PyTorch and NumPy users hold. */
public final class Layouts {
    private Layouts() {}

    /** Copies a dense NCHW array of {@code tensor}'s shape into the NHWC tensor. */
    public static void copyFromNchw(float[] nchw, Tensor tensor) {
        int n = tensor.batch(), c = tensor.channels(), h = tensor.height(), w = tensor.width();
        if (nchw.length != tensor.elementCount()) {
            throw new IllegalArgumentException("expected " + n + "x" + c + "x" + h + "x" + w + " = "
                    + tensor.elementCount() + " floats (NCHW), got " + nchw.length);
        }
        float[] nhwc = new float[nchw.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        nhwc[((i * h + y) * w + x) * c + ch] = nchw[((i * c + ch) * h + y) * w + x];
                    }
                }
            }
        }
        tensor.copyFrom(nhwc);
    }

    /** The tensor's values as a dense NCHW array. */
    public static float[] toNchw(Tensor tensor) {
        int n = tensor.batch(), c = tensor.channels(), h = tensor.height(), w = tensor.width();
        float[] nhwc = tensor.toArray();
        float[] nchw = new float[nhwc.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        nchw[((i * c + ch) * h + y) * w + x] = nhwc[((i * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return nchw;
    }
}

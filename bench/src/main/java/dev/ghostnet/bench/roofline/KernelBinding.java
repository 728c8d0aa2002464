package dev.ghostnet.bench.roofline;

import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Linear;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.SqueezeExcite;
import dev.ghostnet.kernels.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds a {@link KernelCase} with one {@link Kernels} family: the op from seeded weights (through the
 * family's factory, so its packing is what runs) and tensors in {@code arena}, as one call over one image.
 * Values do not change the time; they are small and seeded so every family sees the same ones.
 */
final class KernelBinding {
    private final SplittableRandom random = new SplittableRandom(18);
    private final Arena arena;

    private KernelBinding(Arena arena) {
        this.arena = arena;
    }

    /** One call of the case's kernel, ready to time. */
    static Runnable bind(KernelCase c, Kernels kernels, Arena arena) {
        return new KernelBinding(arena).bind(c, kernels);
    }

    private Runnable bind(KernelCase c, Kernels kernels) {
        int taps = c.kernel() * c.kernel();
        return switch (c.kind()) {
            case POINTWISE -> {
                PointwiseConv op = kernels.pointwise(arena, values(c.in() * c.out()), values(c.out()), c.in(), c.out(),
                        Activation.RELU);
                Tensor in = tensor(c.height(), c.width(), c.in());
                Tensor out = Tensor.allocate(arena, 1, c.height(), c.width(), c.out());
                Tensor residual = c.residual() ? tensor(c.height(), c.width(), c.out()) : null;
                yield () -> op.run(in, out, residual, 0, out.pixels());
            }
            case DEPTHWISE -> {
                DepthwiseConv op = kernels.depthwise(arena, values(c.in() * taps), values(c.in()), c.in(), c.kernel(),
                        c.stride(), Activation.RELU);
                Tensor in = tensor(c.height(), c.width(), c.in());
                Tensor out = Tensor.allocate(arena, 1, c.outHeight(), c.outWidth(), c.in());
                Tensor residual = c.residual() ? tensor(c.outHeight(), c.outWidth(), c.in()) : null;
                yield () -> op.run(in, out, residual, 0, out.height());
            }
            case CONV -> {
                DenseConv op = kernels.dense(arena, values(c.out() * c.in() * taps), values(c.out()), c.in(), c.out(),
                        c.kernel(), c.stride(), Activation.RELU);
                Tensor in = tensor(c.height(), c.width(), c.in());
                Tensor out = Tensor.allocate(arena, 1, c.outHeight(), c.outWidth(), c.out());
                yield () -> op.run(in, out, 0, out.height());
            }
            case LINEAR -> {
                Linear op = kernels.linear(arena, values(c.in() * c.out()), values(c.out()), c.in(), c.out(),
                        Activation.RELU);
                Tensor in = tensor(1, 1, c.in());
                Tensor out = Tensor.allocate(arena, 1, 1, 1, c.out());
                yield () -> op.run(in, out, 0, 1);
            }
            case SQUEEZE_EXCITE -> {
                // In place, so the gate must be exactly 1 or repeated calls would shrink x into denormals
                // (slow on x86): an expand bias of 4 saturates hard-sigmoid; the work is the same.
                float[] saturating = new float[c.in()];
                Arrays.fill(saturating, 4f);
                SqueezeExcite op = kernels.squeezeExcite(arena, values(c.out() * c.in()), values(c.out()),
                        values(c.in() * c.out()), saturating, c.in(), c.out());
                Tensor x = tensor(c.height(), c.width(), c.in());
                float[] scratch = new float[op.scratchFloats()];
                yield () -> op.run(x, 0, 1, scratch);
            }
        };
    }

    private float[] values(int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
        return v;
    }

    private Tensor tensor(int height, int width, int channels) {
        Tensor t = Tensor.allocate(arena, 1, height, width, channels);
        t.copyFrom(values(height * width * channels));
        return t;
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Average pooling without padding and the nearest-upsampled sigmoid gate, vectorised across channels (full vectors,
 * then one masked vector for the rest); {@link WindowReference} is their specification. A template specialised per
 * vector width by {@link VectorSpecialization}.
 *
 * <p>Tensors: (n, h, w, c) at float {@code ((n*H + h)*W + w)*channelStride + c}, each with its own stride. The gate
 * takes the sigmoid of its source pixel once per output pixel (about 4 times per source pixel at GhostNet v2's 2x
 * upsample) so the fused op needs no buffer; the gated maps are the small ones of the ghost modules.
 */
final class VectorWindowOps implements WindowOps {
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Builds this template's specialised copy; VectorSpecialization derives the constructor type from it. */
    interface Factory {
        WindowOps create();
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static WindowOps create() {
        return new VectorWindowOps();
    }

    private VectorWindowOps() {}

    @Override
    public void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo) {
        assert in.channels() == out.channels() && in.batch() == out.batch()
                && out.height() == (in.height() - kernel) / stride + 1
                && out.width() == (in.width() - kernel) / stride + 1 : in + " -> " + out;
        assert 0 <= rowFrom && rowFrom <= rowTo && rowTo <= out.batch() * out.height() : rowFrom + ".." + rowTo;
        MemorySegment src = in.segment();
        MemorySegment dst = out.segment();
        long inPixel = (long) in.channelStride() * Float.BYTES;
        long inRow = in.width() * inPixel;
        long outPixel = (long) out.channelStride() * Float.BYTES;
        int channels = out.channels();
        FloatVector scale = FloatVector.broadcast(SPECIES, 1f / (kernel * kernel));
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / out.height();
            int oh = row % out.height();
            long top = ((long) n * in.height() + (long) oh * stride) * inRow;
            for (int ow = 0; ow < out.width(); ow++) {
                long origin = top + (long) ow * stride * inPixel;
                long o = ((long) row * out.width() + ow) * outPixel;
                for (int c = 0; c < channels; c += LANES) {
                    long cb = (long) c * Float.BYTES;
                    VectorMask<Float> mask = c + LANES <= channels ? null : SPECIES.indexInRange(c, channels);
                    FloatVector sum = FloatVector.zero(SPECIES);
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            long at = origin + i * inRow + j * inPixel + cb;
                            sum = sum.add(mask == null
                                    ? FloatVector.fromMemorySegment(SPECIES, src, at, ORDER)
                                    : FloatVector.fromMemorySegment(SPECIES, src, at, ORDER, mask));
                        }
                    }
                    sum = sum.mul(scale);
                    if (mask == null) {
                        sum.intoMemorySegment(dst, o + cb, ORDER);
                    } else {
                        sum.intoMemorySegment(dst, o + cb, ORDER, mask);
                    }
                }
            }
        }
    }

    @Override
    public void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo) {
        assert gate.channels() == x.channels() && gate.batch() == x.batch() : gate + " gates " + x;
        assert 0 <= rowFrom && rowFrom <= rowTo && rowTo <= x.batch() * x.height() : rowFrom + ".." + rowTo;
        MemorySegment g = gate.segment();
        MemorySegment dst = x.segment();
        long gPixel = (long) gate.channelStride() * Float.BYTES;
        long xPixel = (long) x.channelStride() * Float.BYTES;
        int channels = x.channels();
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / x.height();
            int gh = WindowReference.nearestSource(row % x.height(), gate.height(), x.height());
            long gRow = ((long) n * gate.height() + gh) * gate.width();
            for (int w = 0; w < x.width(); w++) {
                long gAt = (gRow + WindowReference.nearestSource(w, gate.width(), x.width())) * gPixel;
                long xAt = ((long) row * x.width() + w) * xPixel;
                for (int c = 0; c < channels; c += LANES) {
                    long cb = (long) c * Float.BYTES;
                    if (c + LANES <= channels) {
                        FloatVector s = sigmoid(FloatVector.fromMemorySegment(SPECIES, g, gAt + cb, ORDER));
                        FloatVector.fromMemorySegment(SPECIES, dst, xAt + cb, ORDER).mul(s)
                                .intoMemorySegment(dst, xAt + cb, ORDER);
                    } else {
                        VectorMask<Float> mask = SPECIES.indexInRange(c, channels);
                        FloatVector s = sigmoid(FloatVector.fromMemorySegment(SPECIES, g, gAt + cb, ORDER, mask));
                        FloatVector.fromMemorySegment(SPECIES, dst, xAt + cb, ORDER, mask).mul(s)
                                .intoMemorySegment(dst, xAt + cb, ORDER, mask);
                    }
                }
            }
        }
    }

    /**
     * {@code 1 / (1 + exp(-g))} with exp written out (Cephes' expf: {@code exp(r) * 2^n}, {@code r = -g - n ln 2},
     * a degree-6 polynomial, about 1 ulp) rather than {@code lanewise(EXP)}: the Vector API's EXP is a library
     * call in C2 code and {@code Math.exp} per lane before, which differ in the last bit, so the same model gave
     * logits 1 ulp apart from one run to the next. Only exactly rounded operations here: every run agrees.
     * {@code -g} is clamped to [-87, 88], where {@code 2^n} is a normal float; the sigmoid is 0 or 1 to float
     * precision (or subnormal) beyond.
     */
    private static FloatVector sigmoid(FloatVector g) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector x = g.neg().max(FloatVector.broadcast(SPECIES, -87f)).min(FloatVector.broadcast(SPECIES, 88f));
        // n = floor(x log2(e) + 0.5), through a positive shift so that truncation is floor.
        FloatVector shifted = x.fma(FloatVector.broadcast(SPECIES, 1.44269504088896341f),
                FloatVector.broadcast(SPECIES, 128.5f));
        IntVector n = ((IntVector) shifted.convert(VectorOperators.F2I, 0)).sub(128);
        FloatVector fn = (FloatVector) n.convert(VectorOperators.I2F, 0);
        FloatVector r = fn.fma(FloatVector.broadcast(SPECIES, -0.693359375f), x)
                .sub(fn.mul(FloatVector.broadcast(SPECIES, -2.12194440e-4f)));
        FloatVector p = r.fma(FloatVector.broadcast(SPECIES, 1.9875691500e-4f), FloatVector.broadcast(SPECIES, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 5.0000001201e-1f));
        FloatVector e = p.fma(r.mul(r), r).add(one);
        FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return one.div(e.mul(scale).add(one));
    }
}

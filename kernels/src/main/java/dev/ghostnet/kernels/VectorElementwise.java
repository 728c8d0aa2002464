package dev.ghostnet.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weightless ops: global average pool, add, hard-sigmoid. A template specialised per vector width by
 * {@link VectorSpecialization}.
 *
 * <p>Tensors: (n, h, w, c) at float {@code ((n*H + h)*W + w)*channelStride + c}. When every tensor of an
 * element-wise op is dense (channelStride == channels) the pixel range is one contiguous run of floats and
 * is processed as such (full vectors even for 8 or 12 channels). Otherwise add runs one vector of channels
 * at a time over the pixels, the last one masked, and hard-sigmoid (GhostNet v2 only) pixel by pixel.
 */
final class VectorElementwise implements VectorKernels.Elementwise {
    // Deliberately per class (the same in every template): each hidden copy needs its own constant species.
    private static final VectorSpecies<Float> SPECIES = VectorSpecialization.species(MethodHandles.lookup());
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** The type of {@link #create}, implemented per width by {@link VectorSpecialization#factory}. */
    interface Factory {
        VectorKernels.Elementwise create();
    }

    /** A new instance; the only way in, so every caller goes through the checked {@link Factory} type. */
    static VectorKernels.Elementwise create() {
        return new VectorElementwise();
    }

    private VectorElementwise() {}

    @Override
    public void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo) {
        assert in.channels() == out.channels() && in.batch() == out.batch() && out.height() == 1 && out.width() == 1;
        assert 0 <= imageFrom && imageFrom <= imageTo && imageTo <= in.batch() : imageFrom + ".." + imageTo;
        MemorySegment src = in.segment();
        MemorySegment dst = out.segment();
        long pixel = (long) in.channelStride() * Float.BYTES;
        int pixels = in.height() * in.width();
        int channels = in.channels();
        FloatVector scale = FloatVector.broadcast(SPECIES, 1f / pixels);
        for (int n = imageFrom; n < imageTo; n++) {
            long image = (long) n * pixels * pixel;
            long o = (long) n * out.channelStride() * Float.BYTES;
            int c = 0;
            // Full channel blocks unmasked (a masked load costs ~10x here), then the masked tail.
            for (; c + LANES <= channels; c += LANES) {
                long at = image + (long) c * Float.BYTES;
                FloatVector sum = FloatVector.zero(SPECIES);
                for (int p = 0; p < pixels; p++) {
                    sum = sum.add(FloatVector.fromMemorySegment(SPECIES, src, at + p * pixel, ORDER));
                }
                sum.mul(scale).intoMemorySegment(dst, o + (long) c * Float.BYTES, ORDER);
            }
            if (c < channels) {
                VectorMask<Float> mask = SPECIES.indexInRange(c, channels);
                long at = image + (long) c * Float.BYTES;
                FloatVector sum = FloatVector.zero(SPECIES);
                for (int p = 0; p < pixels; p++) {
                    sum = sum.add(FloatVector.fromMemorySegment(SPECIES, src, at + p * pixel, ORDER, mask));
                }
                sum.mul(scale).intoMemorySegment(dst, o + (long) c * Float.BYTES, ORDER, mask);
            }
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo) {
        assert a.sameShape(out) && b.sameShape(out) : a + " + " + b + " -> " + out;
        assert 0 <= pixelFrom && pixelFrom <= pixelTo && pixelTo <= out.pixels() : pixelFrom + ".." + pixelTo;
        int channels = out.channels();
        if (a.channelStride() == channels && b.channelStride() == channels && out.channelStride() == channels) {
            add(a.segment(), b.segment(), out.segment(), pixelFrom * channels * Float.BYTES,
                    (pixelTo - pixelFrom) * channels);
            return;
        }
        // Channel slices (the shortcut over a ghost module's primary half): one vector of channels at a time
        // over all the pixels, so the pixel loop is one loop, not a call and a loop per pixel (12 channels at
        // 56x56 alone: 13.8 against 21.8 us; 20 at 28x28: 7.3 against 14.3).
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        long aPixel = (long) a.channelStride() * Float.BYTES;
        long bPixel = (long) b.channelStride() * Float.BYTES;
        long oPixel = (long) out.channelStride() * Float.BYTES;
        for (int c = 0; c < channels; c += LANES) {
            long at = (long) c * Float.BYTES;
            if (c + LANES <= channels) {
                for (long p = pixelFrom; p < pixelTo; p++) {
                    FloatVector.fromMemorySegment(SPECIES, as, p * aPixel + at, ORDER)
                            .add(FloatVector.fromMemorySegment(SPECIES, bs, p * bPixel + at, ORDER))
                            .intoMemorySegment(os, p * oPixel + at, ORDER);
                }
            } else {
                VectorMask<Float> mask = SPECIES.indexInRange(c, channels);
                for (long p = pixelFrom; p < pixelTo; p++) {
                    FloatVector.fromMemorySegment(SPECIES, as, p * aPixel + at, ORDER, mask)
                            .add(FloatVector.fromMemorySegment(SPECIES, bs, p * bPixel + at, ORDER, mask))
                            .intoMemorySegment(os, p * oPixel + at, ORDER, mask);
                }
            }
        }
    }

    /** {@code count} floats from byte {@code start} of each: out[i] = a[i] + b[i]. */
    private static void add(MemorySegment a, MemorySegment b, MemorySegment out, long start, long count) {
        long bound = count - count % LANES;
        long i = 0;
        for (; i < bound; i += LANES) {
            long at = start + i * Float.BYTES;
            FloatVector.fromMemorySegment(SPECIES, a, at, ORDER)
                    .add(FloatVector.fromMemorySegment(SPECIES, b, at, ORDER))
                    .intoMemorySegment(out, at, ORDER);
        }
        if (i < count) {
            // Masked tail: the last count % lanes floats.
            VectorMask<Float> mask = SPECIES.indexInRange(0, (int) (count - i));
            long at = start + i * Float.BYTES;
            FloatVector.fromMemorySegment(SPECIES, a, at, ORDER, mask)
                    .add(FloatVector.fromMemorySegment(SPECIES, b, at, ORDER, mask))
                    .intoMemorySegment(out, at, ORDER, mask);
        }
    }

    @Override
    public void hardSigmoid(Tensor x, long pixelFrom, long pixelTo) {
        assert 0 <= pixelFrom && pixelFrom <= pixelTo && pixelTo <= x.pixels() : pixelFrom + ".." + pixelTo;
        int channels = x.channels();
        if (x.channelStride() == channels) {
            hardSigmoid(x.segment(), pixelFrom * channels * Float.BYTES, (pixelTo - pixelFrom) * channels);
            return;
        }
        long pixel = (long) x.channelStride() * Float.BYTES;
        for (long p = pixelFrom; p < pixelTo; p++) {
            hardSigmoid(x.segment(), p * pixel, channels);
        }
    }

    /** In place on {@code count} floats from byte {@code start}: relu6(x + 3) / 6. */
    private static void hardSigmoid(MemorySegment x, long start, long count) {
        // Vector operands, not scalars: the scalar overloads broadcast through a call C2 does not always inline.
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector three = FloatVector.broadcast(SPECIES, 3f);
        FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        long bound = count - count % LANES;
        long i = 0;
        for (; i < bound; i += LANES) {
            long at = start + i * Float.BYTES;
            FloatVector.fromMemorySegment(SPECIES, x, at, ORDER).add(three).max(zero).min(six).div(six)
                    .intoMemorySegment(x, at, ORDER);
        }
        if (i < count) {
            // Masked tail: the last count % lanes floats.
            VectorMask<Float> mask = SPECIES.indexInRange(0, (int) (count - i));
            long at = start + i * Float.BYTES;
            FloatVector.fromMemorySegment(SPECIES, x, at, ORDER, mask).add(three).max(zero).min(six).div(six)
                    .intoMemorySegment(x, at, ORDER, mask);
        }
    }
}

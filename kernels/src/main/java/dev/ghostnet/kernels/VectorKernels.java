package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Kernels} family written with the Vector API for one vector width (128, 256 or 512 bits).
 * Factory methods validate and pack weights; each op is an instance of a kernel class specialised to this
 * width (see {@link VectorSpecialization}), so its hot loops see a constant species.
 *
 * <p>Only {@link KernelProvider} and tests should need to construct this: it requires the
 * {@code jdk.incubator.vector} module, and loading it without the module fails.
 */
public final class VectorKernels implements Kernels {
    private final VectorSpecies<Float> species;
    private final VectorPointwiseConv.Factory pointwise;
    private final VectorDepthwiseConv.Factory depthwise;
    private final VectorDenseConv.Factory dense;
    private final VectorSqueezeExcite.Factory squeezeExcite;
    private final Elementwise elementwise;
    private final Window window;

    /** Element-wise ops of {@link Kernels} that have no weights: one specialised instance per family. */
    interface Elementwise {
        void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo);

        void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo);

        void hardSigmoid(Tensor x, long pixelFrom, long pixelTo);
    }

    /**
     * A pointwise op that can compute a range of its output channels only, in whole blocks: how a batch-1
     * linear layer is split over threads.
     */
    interface ChannelRangeConv extends PointwiseConv {
        /** Output channels {@code [channelFrom, channelTo)}; both multiples of {@link #blockChannels()} or the end. */
        void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo, int channelFrom, int channelTo);

        /**
         * {@link #run} without a residual, for a fully connected layer: where fewer images than a tile are left (one
         * image at batch 1), each goes through a GEMV that splits the input channels four ways, to keep more weight
         * loads in flight while the weights stream from memory. Its sums are in another order than the tiles', so
         * its bits may differ from {@link #run}'s in the last place.
         */
        void runLinear(Tensor in, Tensor out, long imageFrom, long imageTo, int featureFrom, int featureTo);

        /** The output channels the op computes together: ranges start at multiples of this. */
        int blockChannels();
    }

    public VectorKernels(VectorSpecies<Float> species) {
        if (species.elementType() != float.class) {
            throw new IllegalArgumentException("vector kernels need a float species, got " + species);
        }
        int bits = species.vectorBitSize();
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        }
        this.species = species;
        CompilerDirectives.ensureInstalled(); // before any op exists, so C1 never sees the big tiles
        SegmentClasses.load(); // before any op is compiled, so no later segment class invalidates it
        // Each method reference is checked by javac against the template; the factory built from it
        // constructs the template's hidden copy for this species (see VectorSpecialization).
        this.pointwise = VectorSpecialization.factory(VectorPointwiseConv.Factory.class, VectorPointwiseConv::create,
                species);
        this.depthwise = VectorSpecialization.factory(VectorDepthwiseConv.Factory.class, VectorDepthwiseConv::create,
                species);
        this.dense = VectorSpecialization.factory(VectorDenseConv.Factory.class, VectorDenseConv::create, species);
        this.squeezeExcite = VectorSpecialization.factory(VectorSqueezeExcite.Factory.class,
                VectorSqueezeExcite::create, species);
        this.elementwise = VectorSpecialization.factory(VectorElementwise.Factory.class, VectorElementwise::create,
                species).create();
        this.window = Window.of(species);
    }

    /** The family for {@code bits} (128, 256 or 512), e.g. {@code VectorKernels.ofBits(256)}. */
    public static VectorKernels ofBits(int bits) {
        return new VectorKernels(switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        });
    }

    public VectorSpecies<Float> species() {
        return species;
    }

    @Override
    public String name() {
        return "vector-" + species.vectorBitSize();
    }

    /*
     * Every kernel of a family has this family's width, channel tails included (masked): kernels of two widths in
     * one JVM made C2 box every vector of the second width's kernels for good. The Vector API's shared methods
     * (FloatVector.fma, max, ... calling the per-width lanewise) keep one receiver-type profile for all widths; a
     * tile compiled after the other width's had run saw a two-type profile there, inlined both, and could not
     * remove the boxes. Measured on an AVX2 Zen 3 (BENCHMARKS.md): 16->8 at 112x112 allocated 9.7 MB per call
     * after a 128-bit 24->4 layer had run first, 0 alone or with -XX:-UseTypeProfile; the network took
     * 39-48 ms and 264-370 MB per inference with 128-bit tail pieces, 11-16 ms and 652 bytes (all threads)
     * without them. ChannelTailAllocationTest guards this.
     */
    @Override
    public ChannelRangeConv pointwise(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                      Activation activation) {
        KernelArguments.pointwise(weights, bias, inChannels, outChannels);
        return (ChannelRangeConv) pointwise.create(arena, weights, bias, inChannels, outChannels, activation);
    }

    @Override
    public DepthwiseConv depthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelSize,
                                   int stride, Activation activation) {
        KernelArguments.depthwise(weights, bias, channels, kernelSize, stride);
        return depthwise.create(arena, weights, bias, channels, kernelSize, stride, activation);
    }

    @Override
    public DenseConv dense(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                           int kernelSize, int stride, Activation activation) {
        KernelArguments.dense(weights, bias, inChannels, outChannels, kernelSize, stride);
        return dense.create(arena, weights, bias, inChannels, outChannels, kernelSize, stride, activation);
    }

    @Override
    public SqueezeExcite squeezeExcite(Arena arena, float[] reduceWeights, float[] reduceBias, float[] expandWeights,
                                       float[] expandBias, int channels, int reducedChannels) {
        KernelArguments.squeezeExcite(reduceWeights, reduceBias, expandWeights, expandBias, channels, reducedChannels);
        return squeezeExcite.create(arena, reduceWeights, reduceBias, expandWeights, expandBias, channels,
                reducedChannels);
    }

    /** A fully connected layer on (N, 1, 1, in) tensors is a 1x1 convolution over N pixels. */
    @Override
    public Linear linear(Arena arena, float[] weights, float[] bias, int inFeatures, int outFeatures,
                         Activation activation) {
        KernelArguments.linear(weights, bias, inFeatures, outFeatures);
        return new PointwiseLinear(pointwise(arena, weights, bias, inFeatures, outFeatures, activation));
    }

    private record PointwiseLinear(ChannelRangeConv conv) implements Linear {
        @Override
        public int inFeatures() {
            return conv.inChannels();
        }

        @Override
        public int outFeatures() {
            return conv.outChannels();
        }

        @Override
        public void run(Tensor in, Tensor out, int imageFrom, int imageTo, int featureFrom, int featureTo) {
            assert in.height() == 1 && in.width() == 1 && out.height() == 1 && out.width() == 1 : in + " -> " + out;
            conv.runLinear(in, out, imageFrom, imageTo, featureFrom, featureTo);
        }

        @Override
        public int featureAlignment() {
            return conv.blockChannels();
        }
    }

    @Override
    public void globalAveragePool(Tensor in, Tensor out, int imageFrom, int imageTo) {
        elementwise.globalAveragePool(in, out, imageFrom, imageTo);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out, long pixelFrom, long pixelTo) {
        elementwise.add(a, b, out, pixelFrom, pixelTo);
    }

    @Override
    public void hardSigmoid(Tensor x, long pixelFrom, long pixelTo) {
        elementwise.hardSigmoid(x, pixelFrom, pixelTo);
    }

    @Override
    public String toString() {
        return name();
    }

    // GhostNet v2's window ops (DFC attention).

    @Override
    public WindowDepthwiseConv windowDepthwise(Arena arena, float[] weights, float[] bias, int channels,
                                               int kernelHeight, int kernelWidth, int stride, int padHeight,
                                               int padWidth, Activation activation) {
        WindowDepthwiseConv.check(weights, bias, channels, kernelHeight, kernelWidth, stride, padHeight, padWidth);
        return window.depthwise.create(arena, weights, bias, channels, kernelHeight, kernelWidth, stride, padHeight,
                padWidth, activation);
    }

    @Override
    public void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo) {
        window.ops.averagePool(in, out, kernel, stride, rowFrom, rowTo);
    }

    @Override
    public void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo) {
        window.ops.sigmoidGateNearest(gate, x, rowFrom, rowTo);
    }

    /** This width's specialised window kernels (GhostNet v2 only). */
    private record Window(VectorWindowDepthwiseConv.Factory depthwise, WindowOps ops) {
        static Window of(VectorSpecies<Float> species) {
            return new Window(VectorSpecialization.factory(VectorWindowDepthwiseConv.Factory.class,
                    VectorWindowDepthwiseConv::create, species),
                    VectorSpecialization.factory(VectorWindowOps.Factory.class, VectorWindowOps::create, species)
                            .create());
        }
    }
}

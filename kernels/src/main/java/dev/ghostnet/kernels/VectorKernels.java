package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @Override
    public ChannelRangeConv pointwise(Arena arena, float[] weights, float[] bias, int inChannels, int outChannels,
                                      Activation activation) {
        KernelArguments.pointwise(weights, bias, inChannels, outChannels);
        // The tile layout per layer shape. Output blocks are 2 vectors (32 channels at 512 bits); a last block
        // holding at most half a vector (16->8, 24->36, 184->40, 80->100 at 512 bits) is computed instead as
        // full vectors of narrower widths, like the depthwise tails below. A fuller last block stays a (masked)
        // block of this width: splitting 12, 20, 24, 56 or 60 channels into pieces measured 1.4-1.9x slower
        // (an extra pass over the input per piece, 128-bit vectors at half the FMA rate), see BENCHMARKS.md.
        int lanes = species.length();
        int tail = outChannels % (2 * lanes);
        List<ChannelPiece> layout = new ArrayList<>();
        if (tail == 0 || tail > lanes / 2 || species.vectorBitSize() == 128) {
            layout.add(new ChannelPiece(this, 0, outChannels));
        } else {
            if (outChannels > tail) {
                layout.add(new ChannelPiece(this, 0, outChannels - tail));
            }
            layout.addAll(channelPieces(outChannels - tail, tail, species.vectorBitSize() / 2));
        }
        List<ChannelRangeConv> pieces = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (ChannelPiece piece : layout) {
            float[] w = Arrays.copyOfRange(weights, piece.offset() * inChannels,
                    (piece.offset() + piece.count()) * inChannels);
            float[] b = Arrays.copyOfRange(bias, piece.offset(), piece.offset() + piece.count());
            pieces.add((ChannelRangeConv) piece.family().pointwise.create(arena, w, b, inChannels, piece.count(),
                    piece.offset(), outChannels, activation));
            offsets.add(piece.offset());
        }
        return pieces.size() == 1 ? pieces.getFirst()
                : new PointwisePieces(pieces, offsets.stream().mapToInt(Integer::intValue).toArray(), inChannels,
                        outChannels);
    }

    /**
     * A pointwise layer computed as output-channel pieces of different vector widths, one after the other. Piece
     * i covers channels from {@code offsets[i]}; only the last pieces are narrower than the first, and together
     * they hold fewer channels than the first piece's block, so a range at the first piece's block boundaries
     * holds each narrower piece wholly or not at all.
     */
    private record PointwisePieces(List<ChannelRangeConv> pieces, int[] offsets, int inChannels, int outChannels)
            implements ChannelRangeConv {
        @Override
        public void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo) {
            for (int i = 0; i < pieces.size(); i++) {
                pieces.get(i).run(in, out, residual, pixelFrom, pixelTo);
            }
        }

        @Override
        public void run(Tensor in, Tensor out, Tensor residual, long pixelFrom, long pixelTo, int channelFrom,
                        int channelTo) {
            for (int i = 0; i < pieces.size(); i++) {
                ChannelRangeConv piece = pieces.get(i);
                int from = Math.max(channelFrom, offsets[i]) - offsets[i];
                int to = Math.min(channelTo, offsets[i] + piece.outChannels()) - offsets[i];
                if (from < to) {
                    piece.run(in, out, residual, pixelFrom, pixelTo, from, to);
                }
            }
        }

        @Override
        public int blockChannels() {
            return pieces.getFirst().blockChannels();
        }
    }

    @Override
    public DepthwiseConv depthwise(Arena arena, float[] weights, float[] bias, int channels, int kernelSize,
                                   int stride, Activation activation) {
        KernelArguments.depthwise(weights, bias, channels, kernelSize, stride);
        int taps = kernelSize * kernelSize;
        List<DepthwiseConv> pieces = new ArrayList<>();
        for (ChannelPiece piece : channelPieces(0, channels, species.vectorBitSize())) {
            float[] w = Arrays.copyOfRange(weights, piece.offset() * taps, (piece.offset() + piece.count()) * taps);
            float[] b = Arrays.copyOfRange(bias, piece.offset(), piece.offset() + piece.count());
            pieces.add(piece.family().depthwise.create(arena, w, b, piece.count(), piece.offset(), channels,
                    kernelSize, stride, activation));
        }
        return pieces.size() == 1 ? pieces.getFirst() : new DepthwisePieces(pieces, channels, kernelSize, stride);
    }

    /** Channels {@code [offset, offset + count)} of a layer, computed by {@code family}'s kernels. */
    private record ChannelPiece(VectorKernels family, int offset, int count) {}

    /**
     * Splits channels {@code [from, from + count)} into pieces of full vectors, widest width first (starting at
     * {@code bits}), down to 128 bits, which takes the rest (its last vector masked when the count is not a
     * multiple of 4). A partially masked load or store costs ~10x a full one here, and GhostNet's channel
     * counts (8, 12, 20, 36, 60, 72, 92, 100, 120 ...) all leave such tails at 512 bits: 36 = 32 (512) + 4 (128).
     */
    private List<ChannelPiece> channelPieces(int from, int count, int bits) {
        List<ChannelPiece> pieces = new ArrayList<>();
        int offset = from;
        int end = from + count;
        for (; bits >= 128 && offset < end; bits /= 2) {
            int lanes = bits / Float.SIZE;
            int n = bits == 128 ? end - offset : (end - offset) / lanes * lanes;
            if (n > 0) {
                VectorKernels family = bits == species.vectorBitSize()
                        ? this : (VectorKernels) KernelProvider.of("vector-" + bits);
                pieces.add(new ChannelPiece(family, offset, n));
                offset += n;
            }
        }
        return pieces;
    }

    /** A depthwise layer computed as channel pieces of different vector widths, one after the other. */
    private record DepthwisePieces(List<DepthwiseConv> pieces, int channels, int kernelSize, int stride)
            implements DepthwiseConv {
        @Override
        public void run(Tensor in, Tensor out, Tensor residual, int rowFrom, int rowTo) {
            for (int i = 0; i < pieces.size(); i++) {
                pieces.get(i).run(in, out, residual, rowFrom, rowTo);
            }
        }
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
            conv.run(in, out, null, imageFrom, imageTo, featureFrom, featureTo);
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

package dev.ghostnet.kernels;

/**
 * Shape of a 2-D convolution: square kernel, stride, symmetric zero padding, groups.
 * {@code weights} are laid out as PyTorch's {@code [out][in/groups][k][k]}.
 */
public record ConvGeometry(int inChannels, int outChannels, int kernelSize, int stride, int padding, int groups) {
    public ConvGeometry {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0 || groups <= 0) {
            // Not "+ this": in a compact constructor the fields are still zero.
            throw new IllegalArgumentException("invalid convolution: in=" + inChannels + ", out=" + outChannels
                    + ", kernel=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", groups=" + groups
                    + " (sizes, stride and groups must be positive, padding >= 0)");
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups=" + groups + " must divide in=" + inChannels + " and out="
                    + outChannels);
        }
    }

    /** "Same" padding k/2, the only padding GhostNet uses. */
    public static ConvGeometry same(int inChannels, int outChannels, int kernelSize, int stride, int groups) {
        return new ConvGeometry(inChannels, outChannels, kernelSize, stride, kernelSize / 2, groups);
    }

    public static int outputSize(int inputSize, int kernelSize, int stride, int padding) {
        int size = (inputSize + 2 * padding - kernelSize) / stride + 1;
        if (size <= 0) {
            throw new IllegalArgumentException("input size " + inputSize + " is too small for kernel " + kernelSize
                    + " with padding " + padding);
        }
        return size;
    }

    /**
     * The first output position whose window lies wholly inside the input ({@code o*s - p >= 0}), at most
     * {@code outputSize}: the vector kernels run [interiorFrom, interiorTo) unclipped, the rest clipped.
     */
    static int interiorFrom(int outputSize, int stride, int padding) {
        return Math.min(outputSize, (padding + stride - 1) / stride);
    }

    /** One past the last output position whose window ends inside the input ({@code o*s - p + k <= size}). */
    static int interiorTo(int inputSize, int outputSize, int kernelSize, int stride, int padding) {
        int from = interiorFrom(outputSize, stride, padding);
        int last = inputSize - kernelSize + padding;
        return last < 0 ? from : Math.max(from, Math.min(outputSize, last / stride + 1));
    }

    public int outputSize(int inputSize) {
        return outputSize(inputSize, kernelSize, stride, padding);
    }

    public int weightCount() {
        return outChannels * (inChannels / groups) * kernelSize * kernelSize;
    }
}

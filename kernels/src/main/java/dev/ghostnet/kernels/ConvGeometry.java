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

    public int outputSize(int inputSize) {
        return outputSize(inputSize, kernelSize, stride, padding);
    }

    public int weightCount() {
        return outChannels * (inChannels / groups) * kernelSize * kernelSize;
    }
}

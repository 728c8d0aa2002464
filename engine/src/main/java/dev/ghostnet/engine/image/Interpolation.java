package dev.ghostnet.engine.image;

/**
 * The resampling filters of PIL's {@code Image.resize} that torchvision's {@code Resize} uses for
 * ImageNet evaluation, with PIL's kernel definitions. PIL stretches the kernel by the downscale factor
 * (antialiasing), so {@link #support()} is the radius at scale 1 only.
 */
public enum Interpolation {
    /** Triangle kernel, radius 1: torchvision's default ({@code InterpolationMode.BILINEAR}). */
    BILINEAR(1.0) {
        @Override
        public double weight(double x) {
            double t = Math.abs(x);
            return t < 1.0 ? 1.0 - t : 0.0;
        }
    },
    /** Keys' cubic convolution with a = -0.5, radius 2: timm's configuration for GhostNet. */
    BICUBIC(2.0) {
        @Override
        public double weight(double x) {
            // The same operation order as PIL, so the double weights (and the fixed-point ones) agree bit for bit.
            final double a = -0.5;
            double t = Math.abs(x);
            if (t < 1.0) {
                return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
            }
            if (t < 2.0) {
                return (((t - 5) * t + 8) * t - 4) * a;
            }
            return 0.0;
        }
    };

    private final double support;

    Interpolation(double support) {
        this.support = support;
    }

    /** The kernel's radius in source pixels when not downscaling. */
    public double support() {
        return support;
    }

    /** The unnormalised kernel value at distance {@code x} (in kernel units). */
    public abstract double weight(double x);
}

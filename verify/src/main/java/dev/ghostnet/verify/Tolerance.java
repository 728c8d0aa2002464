package dev.ghostnet.verify;

/**
 * How close the engine must be to PyTorch's float64 answer, stage by stage. The engine passes a stage iff
 *
 * <pre>  max|engine - torch64|  <=  factor * max|torch32 - torch64|  +  relativeFloor * max|torch64|  +  absoluteFloor</pre>
 *
 * <p>Why measured against PyTorch's own float32 error rather than a fixed number: any float32 implementation
 * of the same graph differs from the exact (float64) answer by rounding, and how much depends on the
 * stage's depth, magnitudes and reduction lengths. PyTorch's float32 run is a second, independent float32
 * implementation on the same weights and input, so its error is a measured, per-stage scale of what
 * "correct up to rounding" means there. The engine sums in other orders (and the scalar path partly in
 * double), so it may land on either side of that scale, but an engine that is right up to rounding stays
 * within a small multiple of it. Measured: PyTorch without oneDNN (other conv algorithms, other summation
 * orders) against PyTorch with it lands at 0.76-1.47x its error per stage (width 0.5/1.0/1.3, six cases);
 * the scalar engine, which accumulates in double, at 0.15-0.70x. {@link #DEFAULT}'s factor 4 leaves ~3x
 * room over a second float32 implementation for the max over a tensor being a noisy statistic, while a real
 * bug stays far outside: a 1e-4 relative error in one border column is 390x torch's error at that stage.
 *
 * <p>The relative floor (1e-6 of the stage's largest value, about 8 float32 ulps of it) covers stages where
 * torch's error happens to be tiny or zero (small inputs, exact sums): no float32 engine can promise to
 * be better than a few ulps of the stage's magnitude. The absolute floor only matters for a stage that is
 * exactly zero everywhere.
 */
public record Tolerance(double factor, double relativeFloor, double absoluteFloor) {
    public static final Tolerance DEFAULT = new Tolerance(4.0, 1e-6, 1e-9);

    public Tolerance {
        if (!(factor >= 1) || !(relativeFloor >= 0) || !(absoluteFloor >= 0)) {
            throw new IllegalArgumentException("tolerance needs factor >= 1 and non-negative floors, got " + factor
                    + ", " + relativeFloor + ", " + absoluteFloor);
        }
    }

    /** The largest engine error accepted for a stage with this torch error and largest magnitude. */
    public double limit(double torchError, double maxMagnitude) {
        return factor * torchError + relativeFloor * maxMagnitude + absoluteFloor;
    }

    @Override
    public String toString() {
        return factor + " x torch fp32 error + " + relativeFloor + " x max|fp64| + " + absoluteFloor;
    }
}

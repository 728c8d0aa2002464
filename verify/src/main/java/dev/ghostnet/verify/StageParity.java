package dev.ghostnet.verify;

import java.util.Arrays;

/**
 * One stage's comparison: the engine's float32 output and PyTorch's float32 output, both against PyTorch's
 * float64 output of the same stage, all NCHW ((N, C) vectors count as N x C x 1 x 1).
 *
 * @param engineError  max |engine - torch64|
 * @param torchError   max |torch32 - torch64|: what float32 rounding costs here
 * @param maxMagnitude max |torch64|
 * @param limit        the tolerance's bound for this stage
 * @param firstBad     NCHW index of the first element over the limit (null when none)
 * @param problem      why the stage could not be compared element-wise (null when it could)
 */
public record StageParity(String stage, long[] shape, double engineError, double torchError, double maxMagnitude,
                          double limit, int[] firstBad, float badEngine, double badReference, String problem) {

    /** Compares {@code engine} with the references; all three are dense NCHW arrays of {@code shape}. */
    public static StageParity compare(String stage, long[] shape, float[] engine, float[] torch32, double[] torch64,
                                      Tolerance tolerance) {
        if (engine.length != torch64.length || torch32.length != torch64.length) {
            return failed(stage, shape, "engine has " + engine.length + " values, torch " + torch64.length);
        }
        double maxMagnitude = 0, torchError = 0, engineError = 0;
        for (int i = 0; i < torch64.length; i++) {
            maxMagnitude = Math.max(maxMagnitude, Math.abs(torch64[i]));
            torchError = Math.max(torchError, Math.abs(torch32[i] - torch64[i]));
            double e = Math.abs(engine[i] - torch64[i]);
            // A NaN must fail: Math.max propagates it, and the limit test below is written as !(e <= limit).
            engineError = Double.isNaN(e) ? Double.NaN : Math.max(engineError, e);
        }
        double limit = tolerance.limit(torchError, maxMagnitude);
        for (int i = 0; i < torch64.length; i++) {
            if (!(Math.abs(engine[i] - torch64[i]) <= limit)) {
                return new StageParity(stage, shape, engineError, torchError, maxMagnitude, limit, nchw(shape, i),
                        engine[i], torch64[i], null);
            }
        }
        return new StageParity(stage, shape, engineError, torchError, maxMagnitude, limit, null, 0, 0, null);
    }

    /** A stage that could not be compared (missing, or of the wrong shape). */
    public static StageParity failed(String stage, long[] shape, String problem) {
        return new StageParity(stage, shape, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, 0, 0, problem);
    }

    public boolean passed() {
        return problem == null && firstBad == null && engineError <= limit;
    }

    /** engineError / max|torch64|: the error relative to the stage's scale. */
    public double relativeError() {
        return maxMagnitude > 0 ? engineError / maxMagnitude : engineError;
    }

    /** engineError / torchError: how the engine's rounding compares with PyTorch's (1 = as good). */
    public double ratio() {
        if (problem != null) return Double.NaN;
        return torchError > 0 ? engineError / torchError : engineError > 0 ? Double.POSITIVE_INFINITY : 0;
    }

    /** Why the stage failed, naming the first bad element, or "ok". */
    public String verdict() {
        if (problem != null) return "FAIL: " + problem;
        if (firstBad == null) return "ok";
        return String.format("FAIL at (n=%d, c=%d, h=%d, w=%d): engine %.7g, torch fp64 %.7g",
                firstBad[0], firstBad[1], firstBad[2], firstBad[3], badEngine, badReference);
    }

    /** The (n, c, h, w) of flat NCHW index {@code i}; shapes of rank 2 are (N, C) with h = w = 0. */
    static int[] nchw(long[] shape, int i) {
        long c = shape[1];
        long h = shape.length > 2 ? shape[2] : 1;
        long w = shape.length > 3 ? shape[3] : 1;
        return new int[] {(int) (i / (c * h * w)), (int) (i / (h * w) % c), (int) (i / w % h), (int) (i % w)};
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return stage + Arrays.toString(shape) + ": " + verdict();
    }
}

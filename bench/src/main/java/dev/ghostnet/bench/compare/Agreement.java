package dev.ghostnet.bench.compare;

/**
 * How far an engine's logits are from the reference engine's on the same input: the largest absolute
 * difference and the fraction of images whose top-1 class is the same. A fast engine that computes
 * something else shows up here.
 */
public record Agreement(double maxAbsDiff, int top1Same, int images) {
    static Agreement of(float[] reference, float[] other, int images) {
        if (reference.length != other.length || images <= 0 || reference.length % images != 0) {
            throw new IllegalArgumentException("logits of different shapes: " + reference.length + " vs "
                    + other.length + " values for " + images + " images");
        }
        int classes = reference.length / images;
        double max = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = Math.abs((double) reference[i] - other[i]);
            // NaN must not hide behind Math.max's ordering: it is the worst difference there is.
            max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
        }
        int same = 0;
        for (int n = 0; n < images; n++) {
            if (argmax(reference, n * classes, classes) == argmax(other, n * classes, classes)) {
                same++;
            }
        }
        return new Agreement(max, same, images);
    }

    static int argmax(float[] values, int from, int count) {
        int best = 0;
        for (int c = 1; c < count; c++) {
            if (values[from + c] > values[from + best]) best = c;
        }
        return best;
    }

    /** Agreement of the reference with itself: zero difference, every top-1 the same. */
    static Agreement self(int images) {
        return new Agreement(0, images, images);
    }
}

package dev.ghostnet.engine.runtime;

/**
 * A step that can compute any range of its output rows of one image, so a {@link FusedGroup} can run it band by
 * band: 1x1 convs (row r reads input row r) and windowed convs (row r reads the rows its window covers).
 */
interface RowStep extends Step {
    /** Output rows per image. */
    int outputRows();

    /** The end (exclusive) of the input rows that output rows {@code [0, rowEnd)} read, {@code rowEnd > 0}. */
    int inputRowsEnd(int rowEnd);

    /**
     * Multiples of this many output rows (or the last row) are where a band may end without changing any output
     * bit: a 1x1 conv's multi-pixel tiles then start where they would in one call over the whole image.
     */
    default int rowAlignment() {
        return 1;
    }

    /** Computes output rows {@code [rowFrom, rowTo)} of image {@code image}. */
    void runRows(int image, int rowFrom, int rowTo);

    /** Input rows needed by a window of {@code kernel} rows at {@code stride} with {@code padding}, clipped to the input. */
    static int windowRowsEnd(int rowEnd, int kernel, int stride, int padding, int inputRows) {
        return Math.min(inputRows, (rowEnd - 1) * stride - padding + kernel);
    }
}

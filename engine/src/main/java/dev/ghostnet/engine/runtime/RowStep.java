package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.Tensor;

/**
 * A step that can compute any range of its output rows, so a {@link FusedGroup} can run it band by band: 1x1
 * convs (row r reads input row r) and windowed convs (row r reads the rows its window covers). Rows count over
 * the batch: row {@code n * outputRows() + r} is row r of image n, as the kernels number them.
 */
interface RowStep extends Step {
    /** Output rows per image. */
    int outputRows();

    /** The end (exclusive) of the input rows that output rows {@code [.., rowEnd)} read, {@code rowEnd > 0}. */
    int inputRowsEnd(int rowEnd);

    /**
     * Multiples of this many output rows (or the last row) are where a band may end without changing any output
     * bit: a 1x1 conv's multi-pixel tiles then start where they would in one call over the whole batch.
     */
    default int rowAlignment() {
        return 1;
    }

    /** Computes output rows {@code [rowFrom, rowTo)}. */
    void runRows(int rowFrom, int rowTo);

    /**
     * The end of the input rows that output rows {@code [.., rowEnd)} of {@code out} read through a window of
     * {@code kernel} rows at {@code stride} with "same" padding {@code kernel / 2} from {@code in}, clipped to the
     * last row's image.
     */
    static int windowRowsEnd(int rowEnd, Tensor in, Tensor out, int kernel, int stride) {
        int image = (rowEnd - 1) / out.height();
        int row = (rowEnd - 1) % out.height();
        return image * in.height() + Math.min(in.height(), row * stride - kernel / 2 + kernel);
    }
}

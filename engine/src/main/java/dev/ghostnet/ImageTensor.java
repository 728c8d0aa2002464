package dev.ghostnet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Preprocessed images handed to a session as they are: {@code N} RGB images of the session's crop size
 * (3 x 224 x 224 floats each by default), normalised, in {@link Layout#NCHW} or {@link Layout#NHWC} order,
 * held in a {@code float[]}, a {@link FloatBuffer} or a {@link MemorySegment}. Nothing is copied here: the
 * session copies the floats once, straight into its input tensor (reordering NCHW on the way), and checks
 * that they are finite.
 *
 * <p>An instance views the caller's memory: change it only between calls. Buffers are read from their
 * position to their limit in their byte order; segments are read whole in native byte order.
 */
public final class ImageTensor {
    private static final ValueLayout.OfFloat NATIVE = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final MemorySegment data;
    private final ValueLayout.OfFloat element;
    private final Layout layout;

    private ImageTensor(MemorySegment data, ValueLayout.OfFloat element, Layout layout) {
        this.data = data;
        this.element = element;
        this.layout = layout;
    }

    /**
     * Images as PyTorch holds them: {@code x.numpy().ravel()} of an (N, 3, H, W) tensor.
     *
     * @param values the floats, N x 3 x H x W
     * @return a view of them
     */
    public static ImageTensor nchw(float[] values) {
        return of(MemorySegment.ofArray(Objects.requireNonNull(values, "values must not be null")), Layout.NCHW);
    }

    /**
     * Images in the engine's order, (N, H, W, 3).
     *
     * @param values the floats, N x H x W x 3
     * @return a view of them
     */
    public static ImageTensor nhwc(float[] values) {
        return of(MemorySegment.ofArray(Objects.requireNonNull(values, "values must not be null")), Layout.NHWC);
    }

    /**
     * The floats from the buffer's position to its limit, in {@code layout} order; the position is not moved.
     *
     * @param values a heap or direct buffer, in any byte order
     * @param layout how the floats are ordered
     * @return a view of them
     */
    public static ImageTensor of(FloatBuffer values, Layout layout) {
        Objects.requireNonNull(values, "values must not be null");
        return new ImageTensor(MemorySegment.ofBuffer(values), NATIVE.withOrder(values.order()),
                Objects.requireNonNull(layout, "layout must not be null"));
    }

    /**
     * The floats of a whole segment (native byte order), in {@code layout} order; off-heap segments are
     * read in place.
     *
     * @param values the floats, its byte size a multiple of 4
     * @param layout how the floats are ordered
     * @return a view of them
     */
    public static ImageTensor of(MemorySegment values, Layout layout) {
        Objects.requireNonNull(values, "values must not be null");
        if (values.byteSize() % Float.BYTES != 0) {
            throw new IllegalArgumentException("a segment of floats must have a multiple of 4 bytes, got "
                    + values.byteSize());
        }
        return new ImageTensor(values, NATIVE, Objects.requireNonNull(layout, "layout must not be null"));
    }

    /**
     * How the floats are ordered.
     *
     * @return the layout
     */
    public Layout layout() {
        return layout;
    }

    /**
     * How many floats there are.
     *
     * @return the count
     */
    public long floatCount() {
        return data.byteSize() / Float.BYTES;
    }

    float get(long index) {
        return data.getAtIndex(element, index);
    }

    MemorySegment data() {
        return data;
    }

    ValueLayout.OfFloat element() {
        return element;
    }

    @Override
    public String toString() {
        return "ImageTensor[" + layout + ", " + floatCount() + " floats]";
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A float32 NHWC tensor over off-heap memory.
 *
 * <p>Layout: element (n, h, w, c) lives at float index {@code ((n*H + h)*W + w)*channelStride + c}
 * of {@link #segment()}. {@code channelStride >= channels}: a tensor may be a channel slice of a wider
 * one (a ghost module writes its primary and cheap halves into one output with no concat copy), so
 * consecutive pixels are {@code channelStride} floats apart, not {@code channels}.
 *
 * <p>{@link #readable()} extends the segment to the end of the memory it lies in: vector kernels load full
 * vectors that run past a tensor's last element from it (the extra lanes are never stored), because a
 * partially masked load takes the Vector API's slow, allocating path. {@link #allocate} leaves
 * {@value #SLACK} bytes after every tensor for that.
 *
 * <p>A tensor does not own memory: the {@link Arena} it was allocated in does. Once that arena is
 * closed every access through this tensor or its views throws {@link IllegalStateException}.
 * Tensors are immutable descriptors; the floats they describe are not, and are not synchronised.
 */
public final class Tensor {
    /** Alignment of every allocation: one AVX-512 register, one cache line. */
    public static final long ALIGNMENT = 64;
    /** Bytes {@link #allocate} adds after the elements: one vector of the widest species (512 bits). */
    public static final long SLACK = 64;

    private final MemorySegment segment;
    private final MemorySegment readable;
    private final int batch;
    private final int height;
    private final int width;
    private final int channels;
    private final int channelStride;

    private Tensor(MemorySegment segment, MemorySegment readable, int batch, int height, int width, int channels,
                   int channelStride) {
        this.segment = segment;
        this.readable = readable;
        this.batch = batch;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.channelStride = channelStride;
    }

    /** Allocates a zeroed, 64-byte aligned tensor whose channels are dense. */
    public static Tensor allocate(Arena arena, int batch, int height, int width, int channels) {
        return allocate(arena, batch, height, width, channels, channels);
    }

    /** Allocates a zeroed, 64-byte aligned tensor with a channel stride of {@code channelStride} floats. */
    public static Tensor allocate(Arena arena, int batch, int height, int width, int channels, int channelStride) {
        checkShape(batch, height, width, channels, channelStride);
        long floats = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact((long) batch, height), width), channelStride);
        long bytes = Math.multiplyExact(floats, Float.BYTES);
        MemorySegment memory = arena.allocate(bytes + SLACK, ALIGNMENT);
        return new Tensor(memory.asSlice(0, bytes), memory, batch, height, width, channels, channelStride);
    }

    /**
     * Wraps existing memory. The segment must start at element (0,0,0,0) and hold at least
     * {@link #requiredBytes} bytes for this shape.
     */
    public static Tensor wrap(MemorySegment segment, int batch, int height, int width, int channels, int channelStride) {
        checkShape(batch, height, width, channels, channelStride);
        long needed = requiredBytes(batch, height, width, channels, channelStride);
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for tensor "
                    + shapeString(batch, height, width, channels, channelStride) + " which needs " + needed + " bytes");
        }
        return new Tensor(segment.asSlice(0, needed), segment, batch, height, width, channels, channelStride);
    }

    /** Bytes spanned by a tensor of this shape: the last pixel only needs its own channels. */
    public static long requiredBytes(int batch, int height, int width, int channels, int channelStride) {
        long pixels = (long) batch * height * width;
        return ((pixels - 1) * channelStride + channels) * Float.BYTES;
    }

    private static void checkShape(int batch, int height, int width, int channels, int channelStride) {
        if (batch <= 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("tensor dimensions must be positive, got "
                    + shapeString(batch, height, width, channels, channelStride));
        }
        if (channelStride < channels) {
            throw new IllegalArgumentException("channel stride " + channelStride + " is smaller than the channel count "
                    + channels);
        }
    }

    private static String shapeString(int n, int h, int w, int c, int stride) {
        return "(N=" + n + ", H=" + h + ", W=" + w + ", C=" + c + (stride != c ? ", channelStride=" + stride : "") + ")";
    }

    /** A view of channels {@code [from, from + count)}; it shares memory with this tensor. */
    public Tensor channelSlice(int from, int count) {
        if (from < 0 || count <= 0 || from > channels - count) {
            throw new IndexOutOfBoundsException("channel slice [" + from + ", " + ((long) from + count)
                    + ") is outside the tensor's " + channels + " channels");
        }
        long bytes = requiredBytes(batch, height, width, count, channelStride);
        long start = (long) from * Float.BYTES;
        return new Tensor(segment.asSlice(start, bytes), readable.asSlice(start), batch, height, width, count,
                channelStride);
    }

    /** A view of images {@code [from, from + count)} of the batch; it shares memory with this tensor. */
    public Tensor images(int from, int count) {
        if (from < 0 || count <= 0 || from > batch - count) {
            throw new IndexOutOfBoundsException("image range [" + from + ", " + ((long) from + count)
                    + ") is outside the batch of " + batch);
        }
        long start = (long) from * height * width * channelStride * Float.BYTES;
        long bytes = requiredBytes(count, height, width, channels, channelStride);
        return new Tensor(segment.asSlice(start, bytes), readable.asSlice(start), count, height, width, channels,
                channelStride);
    }

    /** The same memory seen with a different spatial shape and batch but the same pixel count and channels. */
    public Tensor reshape(int newBatch, int newHeight, int newWidth) {
        checkShape(newBatch, newHeight, newWidth, channels, channelStride);
        if ((long) newBatch * newHeight * newWidth != pixels()) {
            throw new IllegalArgumentException("cannot reshape " + this + " to " + newBatch + "x" + newHeight + "x"
                    + newWidth + ": pixel counts differ");
        }
        return new Tensor(segment, readable, newBatch, newHeight, newWidth, channels, channelStride);
    }

    public MemorySegment segment() { return segment; }
    /** The segment followed by the rest of the memory it lies in, for loads only (see the class comment). */
    public MemorySegment readable() { return readable; }
    public int batch() { return batch; }
    public int height() { return height; }
    public int width() { return width; }
    public int channels() { return channels; }
    public int channelStride() { return channelStride; }
    public long pixels() { return (long) batch * height * width; }
    public long elementCount() { return pixels() * channels; }

    /** Byte offset of element (n, h, w, c) in {@link #segment()}. */
    public long byteOffset(int n, int h, int w, int c) {
        return ((((long) n * height + h) * width + w) * channelStride + c) * Float.BYTES;
    }

    public float get(int n, int h, int w, int c) {
        checkIndex(n, h, w, c);
        return segment.get(ValueLayout.JAVA_FLOAT, byteOffset(n, h, w, c));
    }

    public void set(int n, int h, int w, int c, float value) {
        checkIndex(n, h, w, c);
        segment.set(ValueLayout.JAVA_FLOAT, byteOffset(n, h, w, c), value);
    }

    private void checkIndex(int n, int h, int w, int c) {
        if (n < 0 || n >= batch || h < 0 || h >= height || w < 0 || w >= width || c < 0 || c >= channels) {
            throw new IndexOutOfBoundsException("index (n=" + n + ", h=" + h + ", w=" + w + ", c=" + c
                    + ") is outside tensor " + this);
        }
    }

    /** Copies {@code values} laid out dense NHWC (no stride padding) into this tensor. */
    public void copyFrom(float[] values) {
        if (values.length != elementCount()) {
            throw new IllegalArgumentException("expected " + elementCount() + " values for " + this + ", got "
                    + values.length);
        }
        for (long p = 0, src = 0; p < pixels(); p++, src += channels) {
            MemorySegment.copy(values, (int) src, segment, ValueLayout.JAVA_FLOAT, p * channelStride * Float.BYTES,
                    channels);
        }
    }

    /** Copies another tensor of the same shape into this one (strides may differ). */
    public void copyFrom(Tensor source) {
        if (!sameShape(source)) {
            throw new IllegalArgumentException("cannot copy " + source + " into " + this + ": shapes differ");
        }
        long rowBytes = (long) channels * Float.BYTES;
        for (long p = 0; p < pixels(); p++) {
            MemorySegment.copy(source.segment, p * source.channelStride * Float.BYTES,
                    segment, p * channelStride * Float.BYTES, rowBytes);
        }
    }

    /** This tensor's values as a dense NHWC array (no stride padding). */
    public float[] toArray() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + this + " has too many elements for a Java array");
        }
        float[] values = new float[(int) count];
        for (long p = 0, dst = 0; p < pixels(); p++, dst += channels) {
            MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, p * channelStride * Float.BYTES, values, (int) dst,
                    channels);
        }
        return values;
    }

    /** Sets every element (not the stride padding) to {@code value}. */
    public void fill(float value) {
        for (long p = 0; p < pixels(); p++) {
            long base = p * channelStride * Float.BYTES;
            for (int c = 0; c < channels; c++) {
                segment.set(ValueLayout.JAVA_FLOAT, base + (long) c * Float.BYTES, value);
            }
        }
    }

    public boolean sameShape(Tensor other) {
        return batch == other.batch && height == other.height && width == other.width && channels == other.channels;
    }

    @Override
    public String toString() {
        return shapeString(batch, height, width, channels, channelStride);
    }
}

package dev.ghostnet.kernels;

import static dev.ghostnet.kernels.TensorAssertions.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TensorTest {
    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** A value that encodes its own coordinates, so a misplaced element is recognisable. */
    private static float code(int n, int h, int w, int c) {
        return 1000 * n + 100 * h + 10 * w + c + 1;
    }

    private static void fillWithCodes(Tensor t) {
        for (int n = 0; n < t.batch(); n++)
            for (int h = 0; h < t.height(); h++)
                for (int w = 0; w < t.width(); w++)
                    for (int c = 0; c < t.channels(); c++)
                        t.set(n, h, w, c, code(n, h, w, c));
    }

    private static float raw(Tensor t, long floatIndex) {
        return t.segment().getAtIndex(ValueLayout.JAVA_FLOAT, floatIndex);
    }

    @Test
    void readableMemoryRunsFromTheTensorToTheEndOfItsAllocation() {
        Tensor t = Tensor.allocate(arena, 2, 3, 3, 5, 8);
        assertEquals(t.segment().address(), t.readable().address());
        assertEquals(t.segment().byteSize() + Tensor.SLACK, t.readable().byteSize(), "allocate leaves slack");
        Tensor slice = t.channelSlice(2, 3);
        assertEquals(slice.segment().address(), slice.readable().address());
        assertEquals(t.readable().byteSize() - 2 * Float.BYTES, slice.readable().byteSize());
        Tensor second = t.images(1, 1);
        assertEquals(t.readable().byteSize() - 9 * 8 * Float.BYTES, second.readable().byteSize());
        assertEquals(t.readable().byteSize(), t.reshape(1, 2, 9).readable().byteSize());
        MemorySegment exact = arena.allocate(Tensor.requiredBytes(1, 2, 2, 4, 4), Tensor.ALIGNMENT);
        Tensor wrapped = Tensor.wrap(exact, 1, 2, 2, 4, 4);
        assertEquals(exact.byteSize(), wrapped.readable().byteSize(), "a wrapped segment has no more than it holds");
    }

    @Test
    void allocationsAre64ByteAlignedFullSizedAndZeroed() {
        int[][] shapes = {{1, 1, 1, 1, 1}, {1, 1, 1, 3, 3}, {2, 3, 5, 7, 7}, {1, 4, 4, 16, 16}, {3, 2, 2, 5, 8},
                {1, 1, 1, 1, 1}, {2, 1, 3, 1, 5}};
        for (int[] s : shapes) {
            Tensor t = Tensor.allocate(arena, s[0], s[1], s[2], s[3], s[4]);
            String shape = t.toString();
            assertEquals(0, t.segment().address() % Tensor.ALIGNMENT, "address of " + shape);
            assertEquals((long) s[0] * s[1] * s[2] * s[4] * Float.BYTES, t.segment().byteSize(), "bytes of " + shape);
            assertEquals((long) s[0] * s[1] * s[2], t.pixels(), "pixels of " + shape);
            assertEquals((long) s[0] * s[1] * s[2] * s[3], t.elementCount(), "elements of " + shape);
            // Zeroed including the stride padding, which get() cannot see.
            for (long i = 0; i < t.segment().byteSize() / Float.BYTES; i++) {
                assertEquals(0f, raw(t, i), "float " + i + " of " + shape);
            }
        }
    }

    @Test
    void denseAllocateHasChannelStrideEqualToChannels() {
        Tensor t = Tensor.allocate(arena, 2, 3, 4, 5);
        assertEquals(2, t.batch());
        assertEquals(3, t.height());
        assertEquals(4, t.width());
        assertEquals(5, t.channels());
        assertEquals(5, t.channelStride());
        assertEquals("(N=2, H=3, W=4, C=5)", t.toString());
        assertEquals("(N=2, H=3, W=4, C=5, channelStride=7)", Tensor.allocate(arena, 2, 3, 4, 5, 7).toString());
    }

    @Test
    void elementsLiveAtTheDocumentedIndexWithStridePaddingUntouched() {
        int batch = 2, height = 3, width = 4, channels = 5, stride = 7;
        Tensor t = Tensor.allocate(arena, batch, height, width, channels, stride);
        fillWithCodes(t);
        for (int n = 0; n < batch; n++) {
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    long pixelBase = ((long) (n * height + h) * width + w) * stride;
                    for (int c = 0; c < channels; c++) {
                        String at = "(" + n + ", " + h + ", " + w + ", " + c + ")";
                        assertEquals((pixelBase + c) * Float.BYTES, t.byteOffset(n, h, w, c), "byteOffset " + at);
                        assertEquals(code(n, h, w, c), raw(t, pixelBase + c), "raw float at " + at);
                        assertEquals(code(n, h, w, c), t.get(n, h, w, c), "get " + at);
                    }
                    for (int pad = channels; pad < stride; pad++) {
                        assertEquals(0f, raw(t, pixelBase + pad), "padding float " + pad + " of pixel " + pixelBase / stride);
                    }
                }
            }
        }
    }

    @Test
    void setOverwritesOnlyItsOwnElement() {
        Tensor t = Tensor.allocate(arena, 1, 2, 2, 3);
        t.set(0, 1, 0, 2, -2.5f);
        float[] expected = new float[12];
        expected[(1 * 2 + 0) * 3 + 2] = -2.5f;
        assertArrayEquals(expected, t.toArray());
        t.set(0, 1, 0, 2, 4f);
        assertEquals(4f, t.get(0, 1, 0, 2));
    }

    @Test
    void channelSliceWritesLandInTheParentAtTheChannelOffset() {
        Tensor parent = Tensor.allocate(arena, 2, 2, 3, 6);
        parent.fill(-1f);
        Tensor slice = parent.channelSlice(2, 3);
        assertEquals(3, slice.channels());
        assertEquals(6, slice.channelStride());
        assertEquals(parent.segment().address() + 2 * Float.BYTES, slice.segment().address());
        fillWithCodes(slice);
        for (int n = 0; n < 2; n++)
            for (int h = 0; h < 2; h++)
                for (int w = 0; w < 3; w++)
                    for (int c = 0; c < 6; c++) {
                        float expected = c >= 2 && c < 5 ? code(n, h, w, c - 2) : -1f;
                        assertEquals(expected, parent.get(n, h, w, c), "parent (" + n + ", " + h + ", " + w + ", " + c + ")");
                    }
    }

    @Test
    void sliceOfASliceAndCopyFromArrayIntoASlice() {
        Tensor parent = Tensor.allocate(arena, 1, 1, 2, 5);
        // Channels [1, 4) of the parent, then channel 1 of that: parent channel 2.
        Tensor inner = parent.channelSlice(1, 3).channelSlice(1, 1);
        inner.copyFrom(new float[] {7f, 8f});
        assertArrayEquals(new float[] {0, 0, 7, 0, 0, 0, 0, 8, 0, 0}, parent.toArray());
        parent.channelSlice(3, 2).copyFrom(new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {0, 0, 7, 1, 2, 0, 0, 8, 3, 4}, parent.toArray());
        assertArrayEquals(new float[] {7, 1, 8, 3}, parent.channelSlice(2, 2).toArray());
    }

    @Test
    void lastChannelSliceFitsInTheParentSegment() {
        // The last pixel of a slice ending at the last channel ends exactly at the parent's end.
        Tensor parent = Tensor.allocate(arena, 1, 2, 2, 4);
        Tensor last = parent.channelSlice(3, 1);
        last.set(0, 1, 1, 0, 9f);
        assertEquals(9f, parent.get(0, 1, 1, 3));
        assertEquals(parent.segment().address() + parent.segment().byteSize(),
                last.segment().address() + last.segment().byteSize());
    }

    @Test
    void imagesViewSharesMemoryWithTheBatch() {
        Tensor parent = Tensor.allocate(arena, 3, 2, 2, 2, 3);
        fillWithCodes(parent);
        Tensor view = parent.images(1, 2);
        assertEquals(2, view.batch());
        assertEquals(3, view.channelStride());
        for (int n = 0; n < 2; n++)
            for (int h = 0; h < 2; h++)
                for (int w = 0; w < 2; w++)
                    for (int c = 0; c < 2; c++)
                        assertEquals(code(n + 1, h, w, c), view.get(n, h, w, c));
        view.set(1, 1, 0, 1, -5f);
        assertEquals(-5f, parent.get(2, 1, 0, 1));
        assertEquals(code(0, 1, 0, 1), parent.get(0, 1, 0, 1));
        // A view of a channel slice: image 2, channel 1 of the parent.
        assertArrayEquals(new float[] {code(2, 0, 0, 1), code(2, 0, 1, 1), -5f, code(2, 1, 1, 1)},
                parent.channelSlice(1, 1).images(2, 1).toArray());
    }

    @Test
    void reshapeSeesTheSamePixelsInTheSameOrder() {
        Tensor t = Tensor.allocate(arena, 2, 3, 4, 2, 3);
        fillWithCodes(t);
        Tensor flat = t.reshape(1, 24, 1);
        assertEquals(24, flat.height());
        assertEquals(3, flat.channelStride());
        for (int p = 0; p < 24; p++) {
            int n = p / 12, h = (p / 4) % 3, w = p % 4;
            for (int c = 0; c < 2; c++) {
                assertEquals(code(n, h, w, c), flat.get(0, p, 0, c), "pixel " + p + " channel " + c);
            }
        }
        Tensor other = t.reshape(4, 2, 3);
        other.set(3, 1, 2, 1, -1f);
        assertEquals(-1f, t.get(1, 2, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(1, 5, 5));
        assertTrue(e.getMessage().contains("pixel counts differ"), e.getMessage());
    }

    @Test
    void copyFromArrayAndToArrayIgnoreStridePadding() {
        Tensor t = Tensor.allocate(arena, 1, 2, 2, 3, 5);
        for (long i = 0; i < 20; i++) {
            t.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, 99f);
        }
        float[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        t.copyFrom(values);
        assertArrayEquals(values, t.toArray());
        for (int p = 0; p < 4; p++) {
            assertEquals(values[3 * p + 1], raw(t, 5L * p + 1), "channel 1 of pixel " + p);
            assertEquals(99f, raw(t, 5L * p + 3), "padding 3 of pixel " + p);
            assertEquals(99f, raw(t, 5L * p + 4), "padding 4 of pixel " + p);
        }
        t.fill(0.5f);
        assertArrayEquals(new float[12], subtract(t.toArray(), 0.5f));
        assertEquals(99f, raw(t, 3), "fill leaves padding");
    }

    private static float[] subtract(float[] values, float x) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) out[i] -= x;
        return out;
    }

    @Test
    void copyFromTensorAcrossDifferentStrides() {
        float[] values = new float[2 * 2 * 3 * 3];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.25f - 3;
        Tensor dense = Tensor.allocate(arena, 2, 2, 3, 3);
        dense.copyFrom(values);

        Tensor strided = Tensor.allocate(arena, 2, 2, 3, 3, 8);
        strided.copyFrom(dense);
        assertArrayEquals(values, strided.toArray());

        Tensor wide = Tensor.allocate(arena, 2, 2, 3, 7);
        wide.fill(-9f);
        Tensor slice = wide.channelSlice(4, 3);
        slice.copyFrom(strided);
        assertArrayEquals(values, slice.toArray());
        float[] untouched = new float[2 * 2 * 3 * 4];
        Arrays.fill(untouched, -9f);
        assertArrayEquals(untouched, wide.channelSlice(0, 4).toArray(), "channels before the slice untouched");

        Tensor back = Tensor.allocate(arena, 2, 2, 3, 3);
        back.copyFrom(slice);
        assertArrayEquals(values, back.toArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> back.copyFrom(Tensor.allocate(arena, 2, 2, 3, 2)));
        assertTrue(e.getMessage().contains("shapes differ"), e.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> back.copyFrom(new float[35]));
        assertTrue(count.getMessage().contains("expected 36 values"), count.getMessage());
    }

    @Test
    void nonPositiveDimensionsAreRejected() {
        int[][] bad = {{0, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, -2, 1}, {1, 1, 1, 0}};
        for (int[] s : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.allocate(arena, s[0], s[1], s[2], s[3]));
            assertTrue(e.getMessage().contains("must be positive"), e.getMessage());
            assertTrue(e.getMessage().contains("N=" + s[0] + ", H=" + s[1] + ", W=" + s[2] + ", C=" + s[3]), e.getMessage());
        }
        Tensor t = Tensor.allocate(arena, 1, 2, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> t.reshape(0, 4, 1));
    }

    @Test
    void channelStrideSmallerThanChannelsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.allocate(arena, 1, 1, 1, 3, 2));
        assertEquals("channel stride 2 is smaller than the channel count 3", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(arena.allocate(64), 1, 1, 1, 3, 2));
    }

    @Test
    void channelSliceOutsideTheChannelsNamesTheRangeAndTheCount() {
        Tensor t = Tensor.allocate(arena, 1, 1, 1, 4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.channelSlice(2, 3));
        assertTrue(e.getMessage().contains("[2, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("4 channels"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.channelSlice(-1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.channelSlice(0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.channelSlice(4, 1));
        IndexOutOfBoundsException overflow = assertThrows(IndexOutOfBoundsException.class,
                () -> t.channelSlice(1, Integer.MAX_VALUE));
        assertTrue(overflow.getMessage().contains("[1, 2147483648)"), overflow.getMessage());
        assertEquals(4, t.channelSlice(0, 4).channels());
    }

    @Test
    void imageRangeOutsideTheBatchNamesTheRangeAndTheBatch() {
        Tensor t = Tensor.allocate(arena, 3, 1, 1, 1);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.images(1, 3));
        assertTrue(e.getMessage().contains("[1, 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("batch of 3"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.images(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.images(0, 0));
        assertEquals(1, t.images(2, 1).batch());
    }

    @Test
    void getAndSetOutOfBoundsThrowNamingTheIndex() {
        Tensor t = Tensor.allocate(arena, 2, 3, 4, 5, 8);
        int[][] bad = {{-1, 0, 0, 0}, {2, 0, 0, 0}, {0, -1, 0, 0}, {0, 3, 0, 0}, {0, 0, -1, 0}, {0, 0, 4, 0},
                {0, 0, 0, -1}, {0, 0, 0, 5}, {0, 0, 0, 7}};
        for (int[] i : bad) {
            String index = "n=" + i[0] + ", h=" + i[1] + ", w=" + i[2] + ", c=" + i[3];
            IndexOutOfBoundsException get = assertThrows(IndexOutOfBoundsException.class,
                    () -> t.get(i[0], i[1], i[2], i[3]), index);
            assertTrue(get.getMessage().contains(index), get.getMessage());
            IndexOutOfBoundsException set = assertThrows(IndexOutOfBoundsException.class,
                    () -> t.set(i[0], i[1], i[2], i[3], 1f), index);
            assertTrue(set.getMessage().contains(index), set.getMessage());
        }
        // c in the stride padding is still out of bounds on a channel slice, not a read of the neighbour.
        Tensor slice = t.channelSlice(0, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> slice.set(0, 0, 0, 2, 1f));
        assertEquals(0f, t.get(0, 0, 0, 2));
    }

    @Test
    void wrapNeedsOnlyTheLastPixelsOwnChannels() {
        // 2 pixels, stride 5, 3 channels: (2 - 1) * 5 + 3 = 8 floats = 32 bytes.
        assertEquals(32, Tensor.requiredBytes(2, 1, 1, 3, 5));
        MemorySegment exact = arena.allocate(32, Tensor.ALIGNMENT);
        Tensor t = Tensor.wrap(exact, 2, 1, 1, 3, 5);
        t.set(1, 0, 0, 2, 6f);
        assertEquals(6f, exact.getAtIndex(ValueLayout.JAVA_FLOAT, 7));

        MemorySegment larger = arena.allocate(100, Tensor.ALIGNMENT);
        assertEquals(32, Tensor.wrap(larger, 2, 1, 1, 3, 5).segment().byteSize());

        MemorySegment small = arena.allocate(28, Tensor.ALIGNMENT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(small, 2, 1, 1, 3, 5));
        assertTrue(e.getMessage().contains("28 bytes is too small"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 32 bytes"), e.getMessage());
    }

    @Test
    void everyAccessAfterTheArenaIsClosedThrowsIllegalState() {
        Arena scoped = Arena.ofConfined();
        Tensor t = Tensor.allocate(scoped, 2, 2, 2, 4, 5);
        t.set(1, 1, 1, 3, 2f);
        Tensor slice = t.channelSlice(1, 2);
        Tensor image = t.images(1, 1);
        Tensor flat = t.reshape(1, 8, 1);
        Tensor live = Tensor.allocate(arena, 2, 2, 2, 4);
        assertEquals(2f, image.get(0, 1, 1, 3));
        scoped.close();

        for (Tensor dead : new Tensor[] {t, slice, image, flat}) {
            String what = dead.toString();
            assertClosed(() -> dead.get(0, 0, 0, 0), "get on " + what);
            assertClosed(() -> dead.set(0, 0, 0, 0, 1f), "set on " + what);
            assertClosed(dead::toArray, "toArray on " + what);
            assertClosed(() -> dead.fill(0f), "fill on " + what);
            assertClosed(() -> dead.copyFrom(new float[(int) dead.elementCount()]), "copyFrom(float[]) on " + what);
        }
        assertClosed(() -> live.copyFrom(t), "copyFrom a closed tensor");
        assertClosed(() -> t.copyFrom(live), "copyFrom into a closed tensor");
        // Out-of-bounds indices still report the index, not the closed arena.
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0, 0, 0));
    }

    private static void assertClosed(Executable access, String what) {
        IllegalStateException e = assertThrows(IllegalStateException.class, access, what);
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), what);
    }

    @Test
    void toArrayMatchesGetForAStridedBatch() {
        Tensor t = Tensor.allocate(arena, 2, 1, 2, 2, 3);
        fillWithCodes(t);
        assertTensor(new float[] {code(0, 0, 0, 0), code(0, 0, 0, 1), code(0, 0, 1, 0), code(0, 0, 1, 1),
                code(1, 0, 0, 0), code(1, 0, 0, 1), code(1, 0, 1, 0), code(1, 0, 1, 1)}, t);
        assertArrayEquals(new float[] {1, 2, 11, 12, 1001, 1002, 1011, 1012}, t.toArray());
    }
}

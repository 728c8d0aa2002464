package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-crafted files that claim sizes they do not have: each must be rejected with a CheckpointException
 * naming the problem, before the reader allocates anything near the claimed size. Heap allocation is
 * measured on the reading thread ({@link #budget}); off-heap, the readers only map the file itself.
 */
class HostileSizesTest {
    /**
     * Heap a reader may use on a file: 8 MiB plus 256 bytes per file byte (a pickle's 3-byte "empty dict,
     * key" sequence costs ~130 bytes of LinkedHashMap). Far below every claimed size here (gigabytes to
     * exabytes), above what parsing a small file needs.
     */
    private static long budget(Path file) {
        try {
            return (8L << 20) + 256 * Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final long[] ONE = {1};

    @TempDir
    Path dir;

    @Test
    void safetensorsTensorClaimingExabytes() throws IOException {
        long bytes = 4L << 58;
        assertRejected(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + (1L << 58) + "],\"data_offsets\":[0," + bytes
                + "]}}", 16), "cover " + bytes + " data bytes but the file holds 16");
    }

    @Test
    void safetensorsShapeThatOverflows() throws IOException {
        assertRejected(safetensors("{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8),
                "too large");
        assertRejected(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,8]}}", 8),
                "expected a non-negative 64-bit integer");
    }

    @Test
    void safetensorsOffsetsThatOverflowOrRunBackwards() throws IOException {
        assertRejected(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775807,3]}}", 4),
                "end before they begin");
        assertRejected(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4), "non-negative");
    }

    @Test
    void safetensorsHeaderLengthJustPastTheFile() throws IOException {
        byte[] json = "{}".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length + 1).put(json);
        assertRejected(write("past.safetensors", b.array()), "header length 3 exceeds the file size 10");
    }

    @Test
    void zipStorageClaimingHugeNumel() throws IOException {
        Path file = dir.resolve("numel.pt");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 1L << 60, 0, ONE, ONE), ZipEntry.STORED, "0", new byte[4]);
        assertRejected(file, "storage '0' of 1152921504606846976 F32 elements does not fit in entry 'archive/data/0' of 4 bytes");
    }

    @Test
    void zipTensorClaimingHugeShape() throws IOException {
        Path file = dir.resolve("shape.pt");
        long[] size = {1L << 31, 1L << 31};
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, 0, size, new long[] {1L << 31, 1}), ZipEntry.STORED,
                "0", new byte[16]);
        assertRejected(file, "reaches element");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {0, 0}),
                ZipEntry.STORED, "0", new byte[16]);
        assertRejected(file, "sizes overflow");
    }

    @Test
    void negativeOrOverflowingShapesStridesAndOffsets() throws IOException {
        Path file = dir.resolve("negative.pt");
        byte[] storage = new byte[16];
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, 0, new long[] {-1}, ONE), ZipEntry.STORED, "0", storage);
        assertRejected(file, "negative size or stride");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, 0, new long[] {2}, new long[] {-1}), ZipEntry.STORED, "0", storage);
        assertRejected(file, "negative size or stride");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, -1, ONE, ONE), ZipEntry.STORED, "0", storage);
        assertRejected(file, "offset outside its storage");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, Long.MAX_VALUE, new long[] {2}, ONE), ZipEntry.STORED, "0", storage);
        assertRejected(file, "sizes overflow");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 4, 3, new long[] {2}, new long[] {Long.MAX_VALUE}),
                ZipEntry.STORED, "0", storage);
        assertRejected(file, "sizes overflow");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", -4, 0, ONE, ONE), ZipEntry.STORED, "0", storage);
        assertRejected(file, "has element count -4");
    }

    @Test
    void zipEntryDeclaredLargerThanTheFile() throws IOException {
        Path file = dir.resolve("entry.pt");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 1, 0, ONE, ONE), ZipEntry.STORED, "0", new byte[4]);
        byte[] bytes = Files.readAllBytes(file);
        int central = lastIndexOf(bytes, new byte[] {'P', 'K', 1, 2});
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(central + 20, 0x7fff_0000).putInt(central + 24, 0x7fff_0000);
        assertRejected(write("entry.pt", bytes), "needs bytes");
    }

    /**
     * A deflated data.pkl claiming 200 MiB whose compressed bytes could never inflate to that much: no
     * buffer of the claimed size may be allocated for it.
     */
    @Test
    void deflatedPickleClaimingFarMoreThanItsCompressedBytesCanHold() throws IOException {
        Path file = dir.resolve("bomb.pt");
        PickleBytes.zip(file, PickleBytes.stateDict("w", "0", 1, 0, ONE, ONE), ZipEntry.DEFLATED, "0", new byte[4]);
        byte[] bytes = Files.readAllBytes(file);
        int central = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 200 << 20);
        assertRejected(write("bomb.pt", bytes), "could not inflate to");
    }

    /** A real deflate bomb: 64 MiB of zeros in ~64 KiB. Inflating what it declares is legitimate, and bounded. */
    @Test
    void deflatedPickleThatReallyInflatesIsBoundedByItsDeclaredSize() throws IOException {
        byte[] zeros = new byte[64 << 20];
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(zeros);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) compressed.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        Path file = dir.resolve("zeros.pt");
        PickleBytes.zip(file, zeros, ZipEntry.DEFLATED);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(file).close());
        assertTrue(e.getMessage().contains("unknown pickle opcode 0x00"), e.getMessage());
        assertTrue(compressed.size() < 1 << 17, "deflate should shrink zeros ~1000x, got " + compressed.size());
    }

    @Test
    void legacyStorageClaimingHugeNumel() throws IOException {
        byte[] data = PickleBytes.stateDict("w", "0", 1L << 61, 0, ONE, ONE);
        byte[] keys = new PickleBytes().op(']').str("0").op('a').op('.').bytes();
        PickleBytes file = PickleBytes.legacyHeader().append(data).append(keys).le(1L << 61, 8).le(0, 4);
        assertRejected(write("numel-legacy.pt", file.bytes()), "truncated: storage '0' needs 2305843009213693952 x 4 bytes");
    }

    /** Nesting built iteratively by the pickle machine must not be walked recursively by anything after it. */
    @Test
    void recursionBombsInPickles() throws IOException {
        int depth = 50_000;
        byte[] lists = new PickleBytes().repeat("]", depth).repeat("a", depth - 1).op('.').bytes();
        byte[] tuples = new PickleBytes().op('N').repeat("\u0085", depth).op('.').bytes();
        byte[] dicts = new PickleBytes().op('}').repeat("U\u0001k}", depth - 1).repeat("s", depth - 1).op('.').bytes();
        // A list holding a tuple that holds the list: cyclic, so printing or hashing it would never end.
        byte[] cycle = new PickleBytes().op(']').op('q').op(0).op('h').op(0).op(0x85).op('a').op('.').bytes();
        byte[] header = PickleBytes.legacyHeader().bytes();
        byte[] magic = new PickleBytes().bigInteger(new BigInteger("1950a86a20f9469cfc6c", 16)).op('.').bytes();
        byte[] dict = PickleBytes.stateDict("w", "0", 1, 0, ONE, ONE);
        for (byte[] bomb : new byte[][] {lists, tuples, dicts, cycle}) {
            String topLevel = bomb == dicts ? "no tensors found" : "expected a dict of tensors";
            Path zip = dir.resolve("bomb.pt");
            PickleBytes.zip(zip, bomb, ZipEntry.STORED);
            assertRejected(zip, topLevel);
            // Legacy: the bomb where the protocol version, the sys-info dict, the data and the key list go.
            assertRejected(write("protocol.pt", concat(magic, bomb)), "legacy protocol version");
            byte[] noKeys = new PickleBytes().op(']').op('.').bytes();
            assertRejected(write("data.pt", concat(header, bomb, noKeys)), topLevel);
            assertRejected(write("keys.pt", concat(header, dict, bomb)), "storage key list");
            Path pickle = write("bomb.pkl", bomb);
            long before = allocated();
            CheckpointException e = assertThrows(CheckpointException.class, () -> FuzzTarget.PICKLE.read(pickle));
            assertTrue(e.getMessage().contains(topLevel), e.getMessage());
            assertTrue(allocated() - before < budget(pickle), "allocated " + (allocated() - before));
        }
    }

    @Test
    void npyGiganticShape() throws IOException {
        assertNpyRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", 16),
                "too large for a float[]");
        assertNpyRejected(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (999999999999999999,), }", 16),
                "too large for a float[]");
        assertNpyRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (536870911,), }", 16),
                "needs 2147483644 data bytes, found 16 (truncated)");
        assertNpyRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (9999999999999999999,), }", 16),
                "expected a dimension");
    }

    @Test
    void npyZeroDimensionNextToHugeOnesIsAnEmptyArray() throws IOException {
        NpyArray empty = Npy.read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 999999999999999999), }", 0));
        assertEquals(0, empty.data().length);
    }

    @Test
    void npyHeaderLengthPastTheFile() throws IOException {
        byte[] bytes = new byte[64];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        assertNpyRejected(write("len.npy", bytes), "header of 4294967295 bytes runs past the end of the 64-byte file");
    }

    private Path npy(int major, String header, int dataBytes) throws IOException {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}).putShort((short) h.length).put(h);
        return write("hostile.npy", b.array());
    }

    private Path safetensors(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return write("hostile.safetensors", b.array());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (bytes[i + j] != pattern[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private static int lastIndexOf(byte[] bytes, byte[] pattern) {
        int found = -1;
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) found = i;
        }
        return found;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Reading fails with a CheckpointException naming the file and containing {@code fragment}, cheaply. */
    private static void assertRejected(Path file, String fragment) {
        long before = allocated();
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(file).close(),
                file.toString());
        long used = allocated() - before;
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(used < budget(file), "allocated " + used + " heap bytes before rejecting: " + e.getMessage());
    }

    private static void assertNpyRejected(Path file, String fragment) {
        long before = allocated();
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(file));
        long used = allocated() - before;
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(used < budget(file), "allocated " + used + " heap bytes before rejecting: " + e.getMessage());
    }
}

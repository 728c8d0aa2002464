package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Truncated, corrupted and hostile files fail with a CheckpointException that says what is wrong, never worse. */
class CorruptCheckpointTest {
    static Path fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFixtures() throws IOException {
        fixtures = PythonFixtures.dir();
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(write("empty.pt", new byte[0]), "empty file");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] bytes = new byte[4096];
        new SplittableRandom(42).nextBytes(bytes);
        bytes[0] = 'x';
        assertFails(write("random.bin", bytes), "unrecognized checkpoint format");
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("nope.pt"), "cannot read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip.pt", "legacy.pt", "tensors.safetensors"})
    void truncatedAtEveryFewBytes(String name) throws IOException {
        byte[] whole = Files.readAllBytes(fixtures.resolve(name));
        for (int cut = 0; cut < whole.length; cut += Math.max(1, whole.length / 200)) {
            assertFails(write("cut-" + cut + "-" + name, Arrays.copyOf(whole, cut)), null);
        }
        assertFails(write("cut-last-" + name, Arrays.copyOf(whole, whole.length - 1)), null);
    }

    @Test
    void truncatedZipSaysSo() throws IOException {
        byte[] whole = Files.readAllBytes(fixtures.resolve("zip.pt"));
        assertFails(write("cut.pt", Arrays.copyOf(whole, whole.length / 2)), "no end of central directory record (truncated?)");
    }

    @Test
    void truncatedLegacySaysSo() throws IOException {
        byte[] whole = Files.readAllBytes(fixtures.resolve("legacy.pt"));
        assertFails(write("cut.pt", Arrays.copyOf(whole, whole.length - 3)), "truncated: storage");
        assertFails(write("cut2.pt", Arrays.copyOf(whole, 200)), "truncated");
    }

    /** Flipped bytes anywhere may still load (a flipped weight is still a weight) but must never crash differently. */
    @ParameterizedTest
    @ValueSource(strings = {"zip.pt", "legacy.pt", "wrapped.pt", "tensors.safetensors"})
    void corruptedBytesNeverEscapeAsOtherExceptions(String name) throws IOException {
        byte[] whole = Files.readAllBytes(fixtures.resolve(name));
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Path file = dir.resolve("fuzz-" + name);
        int rejected = 0;
        for (int trial = 0; trial < 1500; trial++) {
            byte[] bytes = whole.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bytes.length);
                bytes[at] = switch (random.nextInt(4)) {
                    case 0 -> (byte) ~bytes[at];
                    case 1 -> (byte) 0xff;
                    case 2 -> 0;
                    default -> (byte) random.nextInt(256);
                };
            }
            Files.write(file, bytes);
            try (StateDict sd = CheckpointReader.read(file)) {
                sd.keys();
            } catch (CheckpointException expected) {
                rejected++;
                assertTrue(expected.getMessage().contains(file.toString()), expected.getMessage());
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("trial " + trial + " of " + name + " escaped as " + e, e);
            }
        }
        assertTrue(rejected > 300, "only " + rejected + " of 1500 corruptions were caught; is the fuzz reaching the parsers?");
    }

    @Test
    void zipWithoutAStorage() throws IOException {
        Path file = rezip("missing.pt", ZipEntry.STORED, e -> e.endsWith("/data/3") ? null : e);
        assertFails(file, "storage '3' has no zip entry 'zip/data/3'");
    }

    @Test
    void zipWithCompressedStorages() throws IOException {
        assertFails(rezip("deflated.pt", ZipEntry.DEFLATED, e -> e), "is compressed (method 8)");
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        assertFails(rezip("nopkl.pt", ZipEntry.STORED, e -> e.endsWith("data.pkl") ? null : e), "found none");
    }

    @Test
    void zipWithAnUnknownOpcode() throws IOException {
        Path file = dir.resolve("opcode.pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            putStored(out, "opcode/data.pkl", new byte[] {(byte) 0x80, 2, (byte) 0xfe, '.'});
        }
        assertFails(file, "pickle byte 2 (opcode 0xfe): unknown pickle opcode 0xfe");
    }

    @Test
    void legacyWithAnUnknownOpcode() throws IOException {
        assertFails(write("opcode.pt", new byte[] {(byte) 0x80, 2, (byte) 0xfe}), "unknown pickle opcode 0xfe");
    }

    @Test
    void aPlainPickleIsNotALegacyCheckpoint() throws IOException {
        assertFails(write("plain.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}), "not PyTorch's magic number");
    }

    @Test
    void legacyStorageSizeMismatch() throws IOException {
        byte[] bytes = Files.readAllBytes(fixtures.resolve("legacy.pt"));
        // The file ends with its last storage: [u64 element count][count x element bytes]. torch 1.13 orders
        // legacy storages by their memory address, so which tensor comes last changes from one fixture run
        // to the next: find it as the count that matches the bytes after it, then claim one element more.
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long count = -1;
        int countAt = -1;
        search:
        for (long n = 1; n <= bytes.length / 8; n++) {
            for (int elementBytes : new int[] {8, 4, 2, 1}) {
                long at = bytes.length - 8 - n * elementBytes;
                if (at >= 0 && buffer.getLong((int) at) == n) {
                    count = n;
                    countAt = (int) at;
                    break search;
                }
            }
        }
        assertTrue(countAt >= 0, "no storage header found at the end of legacy.pt");
        buffer.putLong(countAt, count + 1);
        assertFails(write("size.pt", bytes), "has " + (count + 1) + " elements, expected " + count);
    }

    @Test
    void safetensorsOffsetsPastTheEnd() throws IOException {
        assertFails(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
                "cover 16 data bytes but the file holds 8");
    }

    @Test
    void safetensorsWhoseHeaderLengthLooksLikeAPickleIsStillSafetensors() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path file = safetensors(json + " ".repeat(0x0280 - json.length()), 4);
        try (StateDict sd = CheckpointReader.read(file)) {
            assertTrue(sd.contains("w"));
        }
    }

    @Test
    void safetensorsHugeHeaderLength() throws IOException {
        byte[] bytes = new byte[64];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 60);
        bytes[8] = '{';
        assertFails(write("huge.safetensors", bytes), "header length 1152921504606846976 exceeds the file size 64");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertFails(write("huge2.safetensors", bytes), "header length 18446744073709551615 exceeds");
    }

    @Test
    void safetensorsBadJson() throws IOException {
        assertFails(safetensors("{\"w\":{\"dtype\":\"F32\",}}", 0), "header is not valid JSON: expected a string key");
        assertFails(safetensors("{\"w\":1,\"w\":2}", 0), "duplicate key \"w\"");
        assertFails(safetensors("{\"a\":" + "[".repeat(10_000), 0), "nested deeper than 64");
    }

    @Test
    void safetensorsWrongDtype() throws IOException {
        assertFails(safetensors("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' has dtype 'F8_E4M3'");
    }

    @Test
    void safetensorsShapeDisagreesWithOffsets() throws IOException {
        assertFails(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20),
                "needs 24 bytes but data_offsets [0, 20] span 20");
    }

    @Test
    void safetensorsOverlapAndGaps() throws IOException {
        assertFails(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap");
        assertFails(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "leave a gap");
    }

    @Test
    void safetensorsNegativeOrHugeShapes() throws IOException {
        assertFails(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative");
        assertFails(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4),
                "too large");
    }

    private Path safetensors(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return write("crafted.safetensors", b.array());
    }

    /** Copies zip.pt entry by entry, renaming or dropping entries, with the given compression method. */
    private Path rezip(String name, int method, UnaryOperator<String> rename) throws IOException {
        Path file = dir.resolve(name);
        // ZipFile, not ZipInputStream: PyTorch's stored entries carry data descriptors, which the stream rejects.
        try (ZipFile in = new ZipFile(fixtures.resolve("zip.pt").toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                String target = rename.apply(e.getName());
                if (target == null) continue;
                byte[] data;
                try (var stream = in.getInputStream(e)) {
                    data = stream.readAllBytes();
                }
                if (method == ZipEntry.STORED) {
                    putStored(out, target, data);
                } else {
                    out.putNextEntry(new ZipEntry(target));
                    out.write(data);
                    out.closeEntry();
                }
            }
        }
        return file;
    }

    private static void putStored(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** Fails unless reading throws a CheckpointException naming the file and containing {@code fragment}. */
    private static void assertFails(Path file, String fragment) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            try (StateDict sd = CheckpointReader.read(file)) {
                sd.keys();
            }
        }, file.toString());
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
        if (fragment != null) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }
}

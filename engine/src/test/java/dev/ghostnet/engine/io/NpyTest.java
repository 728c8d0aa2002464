package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    static Path fixtures;

    @TempDir
    Path dir;

    static float[] expectedF32;
    static float[] expectedF64;

    @BeforeAll
    static void writeFixtures() throws IOException {
        fixtures = PythonFixtures.dir();
        for (String line : Files.readAllLines(fixtures.resolve("expected_npy.tsv"))) {
            String[] f = line.split("\t");
            ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(f[1])).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[b.remaining() / 4];
            b.asFloatBuffer().get(values);
            if (f[0].equals("f32")) expectedF32 = values;
            else expectedF64 = values;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32.npy", "v2.npy", "v3.npy", "fortran.npy"})
    void readsEveryVersionAndOrderBitForBit(String name) throws Exception {
        NpyArray a = Npy.read(fixtures.resolve(name));
        assertArrayEquals(new long[] {2, 3, 4}, a.shape());
        assertArrayEquals(bits(expectedF32), bits(a.data()), name);
    }

    @Test
    void readsFloat64RoundedToFloat32() throws Exception {
        NpyArray a = Npy.read(fixtures.resolve("f64.npy"));
        assertArrayEquals(new long[] {3, 2}, a.shape());
        assertArrayEquals(bits(expectedF64), bits(a.data()));
    }

    @Test
    void readsAScalar() throws Exception {
        NpyArray a = Npy.read(fixtures.resolve("f32_scalar.npy"));
        assertEquals(0, a.shape().length);
        assertArrayEquals(new float[] {2.5f}, a.data());
    }

    @Test
    void rejectsOtherDtypesNamingThem() {
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(fixtures.resolve("i32.npy")));
        assertTrue(e.getMessage().contains("i32.npy") && e.getMessage().contains("dtype '<i4'"), e.getMessage());
    }

    @Test
    void roundTripsThroughNumpy() throws Exception {
        List<long[]> shapes = List.of(new long[] {2, 3, 5}, new long[] {7}, new long[] {}, new long[] {1, 130}, new long[] {0, 4});
        List<Path> pairs = new ArrayList<>();
        List<float[]> written = new ArrayList<>();
        for (int s = 0; s < shapes.size(); s++) {
            int n = (int) Arrays.stream(shapes.get(s)).reduce(1, Math::multiplyExact);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) values[i] = i * 0.25f - 3f;
            Path file = dir.resolve("java" + s + ".npy");
            Npy.write(file, new NpyArray(shapes.get(s), values));
            assertEquals(0, (Files.size(file) - 4L * n) % 64, "data should start on a 64-byte boundary");
            assertArrayEquals(bits(values), bits(Npy.read(file).data()));
            pairs.add(file);
            pairs.add(dir.resolve("numpy" + s + ".npy"));
            written.add(values);
        }
        PythonFixtures.roundtrip(pairs);
        for (int s = 0; s < shapes.size(); s++) {
            NpyArray a = Npy.read(pairs.get(2 * s + 1));
            assertArrayEquals(shapes.get(s), a.shape(), Arrays.toString(shapes.get(s)));
            float[] values = written.get(s);
            for (int i = 0; i < values.length; i++) assertEquals(values[i] * 2f + 1f, a.data()[i], "element " + i);
        }
    }

    @Test
    void corruptFilesNameTheFileAndTheProblem() throws IOException {
        byte[] good = Files.readAllBytes(fixtures.resolve("f32.npy"));
        assertFails(write("cut.npy", Arrays.copyOf(good, good.length - 1)), "needs 96 data bytes, found 95 (truncated)");
        assertFails(write("cut-header.npy", Arrays.copyOf(good, 40)), "runs past the end");
        assertFails(write("short.npy", new byte[3]), "not a .npy file");
        byte[] version = good.clone();
        version[6] = 9;
        assertFails(write("version.npy", version), "unsupported .npy format version 9.0");
        byte[] header = good.clone();
        byte[] bad = "'shape': [2, 3, 4]".getBytes(StandardCharsets.ISO_8859_1);
        int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("'shape'");
        System.arraycopy(bad, 0, header, at, bad.length);
        assertFails(write("header.npy", header), "bad .npy header");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static void assertFails(Path file, String fragment) {
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(fragment),
                "expected the file and '" + fragment + "' in: " + e.getMessage());
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        return bits;
    }
}

package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Npy files built byte by byte, so the expected values do not depend on the reader under test. */
class NpyFloat64Test {
    @TempDir
    Path dir;

    /** A version 1.0 file with the given dict header and raw little-endian doubles or floats. */
    private Path file(String name, String dict, double[] values, boolean f8) throws Exception {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + values.length * (f8 ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        for (double v : values) {
            if (f8) b.putDouble(v); else b.putFloat((float) v);
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void float64KeepsTheBitsThatFloat32ReadingRounds() throws Exception {
        // 1 + 2^-40 is not a float: read() must round it to 1, readFloat64() must keep it.
        double[] values = {1 + 0x1p-40, -3.25, 1e-300, 0};
        Path p = file("a.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", values, true);
        Npy.Float64Array exact = Npy.readFloat64(p);
        assertArrayEquals(new long[] {2, 2}, exact.shape());
        assertArrayEquals(values, exact.data(), 0.0);
        assertArrayEquals(new float[] {1f, -3.25f, 0f, 0f}, Npy.read(p).data(), 0f);
    }

    @Test
    void float64ReaderWidensFloat32Exactly() throws Exception {
        double[] values = {0.1f, 7.5f, -2e-7f};
        Path p = file("b.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", values, false);
        assertArrayEquals(values, Npy.readFloat64(p).data(), 0.0);
    }

    @Test
    void fortranOrderIsTransposedForBothReaders() throws Exception {
        // shape (2, 3) stored column-major: columns (0, 3), (1, 4), (2, 5) of the row-major 0..5.
        double[] columnMajor = {0, 3, 1, 4, 2, 5};
        double[] rowMajor = {0, 1, 2, 3, 4, 5};
        Path p = file("c.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", columnMajor, true);
        assertArrayEquals(rowMajor, Npy.readFloat64(p).data(), 0.0);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Npy.read(p).data(), 0f);
    }

    @Test
    void otherDtypesAreRejectedWithTheirName() throws Exception {
        Path p = file("d.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new double[] {1}, true);
        NpyException e = assertThrows(NpyException.class, () -> Npy.readFloat64(p));
        assertTrue(e.getMessage().contains("'<i8'"), e.getMessage());
    }
}

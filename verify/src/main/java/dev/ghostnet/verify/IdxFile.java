package dev.ghostnet.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte IDX file, the format of MNIST and Fashion-MNIST: two zero bytes, the type 0x08, the
 * number of dimensions, each dimension as a big-endian int, then the bytes in row-major order. A file
 * whose name ends in {@code .gz} is gunzipped first.
 *
 * @param shape the dimensions, e.g. {@code [10000, 28, 28]} for images or {@code [10000]} for labels
 * @param data  the elements, to be read as unsigned
 */
public record IdxFile(int[] shape, byte[] data) {
    /** Fashion-MNIST's files are 47 MB unpacked; more is not an IDX file this project reads. */
    private static final int MAX_BYTES = 256 << 20;

    public static IdxFile read(Path file) throws IOException {
        byte[] raw = file.getFileName().toString().endsWith(".gz") ? gunzip(file) : Files.readAllBytes(file);
        if (raw.length < 4 || raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08) {
            throw new IOException(file + ": not an unsigned-byte IDX file (expected magic 00 00 08 nn)");
        }
        int dims = raw[3];
        if (dims < 1 || raw.length < 4 + 4 * dims) {
            throw new IOException(file + ": IDX header with " + dims + " dimensions is truncated or invalid");
        }
        ByteBuffer header = ByteBuffer.wrap(raw, 4, 4 * dims);
        int[] shape = new int[dims];
        long count = 1;
        for (int i = 0; i < dims; i++) {
            shape[i] = header.getInt();
            if (shape[i] <= 0) {
                throw new IOException(file + ": IDX dimension " + i + " is " + shape[i]);
            }
            count *= shape[i];
        }
        long available = raw.length - 4L - 4L * dims;
        if (count != available) {
            throw new IOException(file + ": IDX shape " + Arrays.toString(shape) + " needs " + count + " bytes of data, the file has "
                    + available);
        }
        return new IdxFile(shape, Arrays.copyOfRange(raw, 4 + 4 * dims, raw.length));
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw new IOException(file + ": unpacks to more than " + MAX_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        }
    }

    /** Element {@code i} of the flat data, unsigned. */
    public int at(long i) {
        return data[Math.toIntExact(i)] & 0xFF;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}

package dev.ghostnet.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files of float32 arrays, the format the verification references
 * use. Reading accepts format versions 1.0, 2.0 and 3.0, dtypes {@code '<f4'} and {@code '<f8'} (rounded
 * to the nearest float by {@link #read}, kept exact by {@link #readFloat64}) and either memory order (Fortran
 * order is transposed to C order). Writing
 * produces version 1.0, {@code '<f4'}, C order, with the header padded so the data starts on a 64-byte
 * boundary, as {@code numpy.save} does.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    public static NpyArray read(Path file) throws NpyException {
        Data d = readData(file);
        float[] data = new float[d.count()];
        for (int i = 0; i < data.length; i++) {
            int at = d.dataStart() + i * d.itemSize();
            data[i] = d.itemSize() == 4 ? d.in().getFloat(at) : (float) d.in().getDouble(at);
        }
        return new NpyArray(d.shape(), d.fortran() ? inCOrder(d.shape(), data) : data);
    }

    /** A float64 array: its shape and its elements in C (row-major) order. */
    public record Float64Array(long[] shape, double[] data) {
        public Float64Array {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * Reads a {@code '<f8'} (or {@code '<f4'}, widened exactly) file without rounding to float: references
     * computed in float64 must not lose half an fp32 ulp before they are compared with an fp32 result.
     */
    public static Float64Array readFloat64(Path file) throws NpyException {
        Data d = readData(file);
        double[] data = new double[d.count()];
        for (int i = 0; i < data.length; i++) {
            int at = d.dataStart() + i * d.itemSize();
            data[i] = d.itemSize() == 4 ? d.in().getFloat(at) : d.in().getDouble(at);
        }
        if (d.fortran() && d.shape().length >= 2) {
            int[] source = fortranSource(d.shape(), data.length);
            double[] c = new double[data.length];
            for (int i = 0; i < c.length; i++) c[i] = data[source[i]];
            data = c;
        }
        return new Float64Array(d.shape(), data);
    }

    /** A validated .npy file: its header fields and where its {@code count} elements start. */
    private record Data(long[] shape, int itemSize, boolean fortran, int dataStart, int count, ByteBuffer in) {}

    private static Data readData(Path file) throws NpyException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw new NpyException(file + ": " + size + " bytes is too large for a float[]");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (e instanceof NpyException ce) throw ce;
            throw new NpyException(file + ": cannot read: " + e, e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new NpyException(file + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        int minor = bytes[7];
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new NpyException(file + ": truncated .npy header");
            headerLength = Integer.toUnsignedLong(in.getInt(8));
            headerStart = 12;
        } else {
            throw new NpyException(file + ": unsupported .npy format version " + major + "." + minor + ", expected 1.0, 2.0 or 3.0");
        }
        if (headerLength > bytes.length - headerStart) {
            throw new NpyException(file + ": .npy header of " + headerLength + " bytes runs past the end of the "
                    + bytes.length + "-byte file");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = HeaderParser.parse(file, header);
        if (!(dict.get("descr") instanceof String descr)) throw new NpyException(file + ": .npy header has no 'descr'");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyException(file + ": .npy header has no boolean 'fortran_order'");
        }
        if (!(dict.get("shape") instanceof long[] shape)) throw new NpyException(file + ": .npy header has no 'shape' tuple");
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new NpyException(file + ": .npy dtype '" + descr + "' is not supported, expected '<f4' (float32) or '<f8'");
        };
        long count = 1;
        for (long d : shape) {
            if (d > 0 && count > (Integer.MAX_VALUE - 8) / d) {
                throw new NpyException(file + ": .npy shape " + Arrays.toString(shape) + " is too large for a float[]");
            }
            count *= d;
        }
        long dataStart = headerStart + headerLength;
        long available = bytes.length - dataStart;
        if (available != count * itemSize) {
            throw new NpyException(file + ": .npy " + descr + " " + Arrays.toString(shape) + " needs " + count * itemSize
                    + " data bytes, found " + available + (available < count * itemSize ? " (truncated)" : ""));
        }
        return new Data(shape, itemSize, fortran, (int) dataStart, (int) count, in);
    }

    /** Writes {@code array} as a version 1.0 {@code '<f4'} C-order .npy file, replacing {@code file}. */
    public static void write(Path file, NpyArray array) throws NpyException {
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(shape.length == 1 ? "," : ", ");
        String tuple = "(" + (shape.length > 1 ? dims.substring(0, dims.length() - 2) : dims.toString()) + ")";
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }");
        while ((10 + header.length() + 1) % ALIGN != 0) header.append(' ');
        header.append('\n');
        if (header.length() > 0xFFFF) throw new NpyException(file + ": shape " + Arrays.toString(shape) + " too long for a .npy header");
        float[] data = array.data();
        ByteBuffer out = ByteBuffer.allocate(Math.addExact(10 + header.length(), Math.multiplyExact(data.length, 4)))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.asFloatBuffer().put(data);
        out.position(out.capacity()).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) channel.write(out);
        } catch (IOException e) {
            throw new NpyException(file + ": cannot write: " + e, e);
        }
    }

    /** Reorders elements stored column-major (first index fastest) into row-major order. */
    private static float[] inCOrder(long[] shape, float[] f) {
        if (shape.length < 2 || f.length == 0) return f;
        int[] source = fortranSource(shape, f.length);
        float[] c = new float[f.length];
        for (int i = 0; i < c.length; i++) c[i] = f[source[i]];
        return c;
    }

    /** For each row-major position, the position of the same element in column-major storage. */
    private static int[] fortranSource(long[] shape, int count) {
        int rank = shape.length;
        long[] fStride = new long[rank];
        long s = 1;
        for (int d = 0; d < rank; d++) {
            fStride[d] = s;
            s *= shape[d];
        }
        int[] source = new int[count];
        long[] index = new long[rank];
        for (int i = 0; i < count; i++) {
            long at = 0;
            for (int d = 0; d < rank; d++) at += index[d] * fStride[d];
            source[i] = (int) at;
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
        }
        return source;
    }

    /**
     * Parses the header, a Python dict literal such as
     * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}: str keys; str, bool or
     * int-tuple values (a tuple comes back as {@code long[]}).
     */
    private static final class HeaderParser {
        private final Path file;
        private final String text;
        private int pos;

        private HeaderParser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        static Map<String, Object> parse(Path file, String text) throws NpyException {
            HeaderParser p = new HeaderParser(file, text);
            Map<String, Object> dict = new LinkedHashMap<>();
            p.expect('{');
            while (!p.accept('}')) {
                String key = p.string();
                p.expect(':');
                dict.put(key, p.value());
                if (!p.accept(',')) {
                    p.expect('}');
                    break;
                }
            }
            p.skipSpace();
            if (p.pos != text.length()) throw p.error("trailing characters");
            return dict;
        }

        private Object value() throws NpyException {
            skipSpace();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (peek() == '(') return tuple();
            return string();
        }

        private long[] tuple() throws NpyException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!accept(')')) {
                skipSpace();
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
                if (pos == start || pos - start > 18) throw error("expected a dimension");
                dims.add(Long.parseLong(text, start, pos, 10));
                if (pos < text.length() && text.charAt(pos) == 'L') pos++;
                if (!accept(',')) {
                    expect(')');
                    break;
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() throws NpyException {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') throw error("expected a string");
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) throw error("unterminated string");
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private boolean accept(char c) {
            skipSpace();
            if (peek() != c) return false;
            pos++;
            return true;
        }

        private void expect(char c) throws NpyException {
            if (!accept(c)) throw error("expected '" + c + "'");
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private NpyException error(String message) {
            return new NpyException(file + ": bad .npy header (" + message + " at character " + pos + "): " + abbreviated());
        }

        private String abbreviated() {
            return text.length() > 120 ? text.substring(0, 120) + "..." : text.strip();
        }
    }
}

package dev.ghostnet.engine.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: a u64 little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}} and the data, which the
 * tensors' byte ranges (relative to the end of the header) must tile exactly, as the reference
 * implementation requires. Tensors come back in data order and are slices of the mapped file.
 */
final class SafetensorsReader {
    private SafetensorsReader() {}

    /** The reference implementation's limit; a header is kilobytes. */
    static final long MAX_HEADER = 100L << 20;

    private static final Map<String, DType> DTYPES = Map.of(
            "F32", DType.F32, "F64", DType.F64, "F16", DType.F16, "BF16", DType.BF16, "I64", DType.I64,
            "I32", DType.I32, "I16", DType.I16, "I8", DType.I8, "U8", DType.U8, "BOOL", DType.BOOL);

    private record Spec(String name, DType dtype, long[] shape, long begin, long end) {}

    static StateDict read(Path file) throws CheckpointException {
        String source = file.toString();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = MappedFiles.map(file, arena);
            long size = mapped.byteSize();
            if (size < 8) throw new CheckpointException(source + ": " + size + " bytes is too short for a safetensors header");
            long headerLength = mapped.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength < 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new CheckpointException(source + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " exceeds " + (headerLength > size - 8 || headerLength < 0 ? "the file size " + size : "the limit " + MAX_HEADER));
            }
            String json = utf8(source, mapped.asSlice(8, headerLength));
            MemorySegment data = mapped.asSlice(8 + headerLength);
            Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
            for (Spec s : specs(source, json, data.byteSize())) {
                tensors.put(s.name(), new CheckpointTensor(s.name(), s.dtype(), s.shape(), data.asSlice(s.begin(), s.end() - s.begin())));
            }
            return new StateDict(tensors, arena::close);
        } catch (CheckpointException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static List<Spec> specs(String source, String json, long dataSize) throws CheckpointException {
        Object header;
        try {
            header = JsonParser.parse(json);
        } catch (JsonParser.JsonException e) {
            throw new CheckpointException(source + ": safetensors header is not valid JSON: " + e.getMessage());
        }
        if (!(header instanceof Map<?, ?> entries)) {
            throw new CheckpointException(source + ": safetensors header is not a JSON object");
        }
        List<Spec> specs = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                checkMetadata(source, e.getValue());
            } else {
                specs.add(spec(source, name, e.getValue()));
            }
        }
        specs.sort(Comparator.comparingLong(Spec::begin).thenComparingLong(Spec::end));
        long expected = 0;
        for (Spec s : specs) {
            if (s.begin() != expected) {
                throw new CheckpointException(source + ": tensor '" + s.name() + "' data_offsets [" + s.begin() + ", " + s.end()
                        + "] " + (s.begin() < expected ? "overlap" : "leave a gap after") + " the previous tensor ending at " + expected);
            }
            expected = s.end();
        }
        if (expected != dataSize) {
            throw new CheckpointException(source + ": tensors cover " + expected + " data bytes but the file holds "
                    + dataSize + (expected > dataSize ? " (offsets past the end of the file: truncated?)" : ""));
        }
        return specs;
    }

    private static Spec spec(String source, String name, Object value) throws CheckpointException {
        String where = source + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) throw new CheckpointException(where + " is not a JSON object");
        if (!(info.get("dtype") instanceof String dtypeName)) throw new CheckpointException(where + " has no string 'dtype'");
        DType dtype = DTYPES.get(dtypeName);
        if (dtype == null) {
            throw new CheckpointException(where + " has dtype '" + dtypeName + "', expected one of F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        }
        long[] shape = longs(where, "shape", info.get("shape"), -1);
        long[] offsets = longs(where, "data_offsets", info.get("data_offsets"), 2);
        if (offsets[1] < offsets[0]) {
            throw new CheckpointException(where + " has data_offsets " + Arrays.toString(offsets) + " that end before they begin");
        }
        long bytes = dtype.bytes();
        try {
            for (long d : shape) bytes = Math.multiplyExact(bytes, d);
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + " has shape " + Arrays.toString(shape) + " too large");
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new CheckpointException(where + " of " + dtypeName + " " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0]));
        }
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new CheckpointException(where + " has unknown field '" + key + "'");
            }
        }
        return new Spec(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(String where, String field, Object value, int expectedLength) throws CheckpointException {
        if (!(value instanceof List<?> list) || (expectedLength >= 0 && list.size() != expectedLength)) {
            throw new CheckpointException(where + " field '" + field + "' is not a list"
                    + (expectedLength >= 0 ? " of " + expectedLength + " integers" : " of integers"));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw new CheckpointException(where + " field '" + field + "' holds " + describe(list.get(i))
                        + ", expected a non-negative 64-bit integer");
            }
            out[i] = v;
        }
        return out;
    }

    private static String describe(Object json) {
        if (json instanceof Number n) return n.toString();
        return json == null ? "null" : "a " + (json instanceof Map<?, ?> ? "object" : json instanceof List<?> ? "list" : json.getClass().getSimpleName());
    }

    private static void checkMetadata(String source, Object metadata) throws CheckpointException {
        if (!(metadata instanceof Map<?, ?> map)) throw new CheckpointException(source + ": __metadata__ is not a JSON object");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new CheckpointException(source + ": __metadata__ value for '" + e.getKey() + "' is not a string");
            }
        }
    }

    private static String utf8(String source, MemorySegment bytes) throws CheckpointException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.asByteBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(source + ": safetensors header is not valid UTF-8");
        }
    }
}

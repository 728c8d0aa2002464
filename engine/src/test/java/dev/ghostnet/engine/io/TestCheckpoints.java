package dev.ghostnet.engine.io;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.SeededWeights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Writes seeded GhostNet checkpoints as safetensors, for tests of the load path that need no PyTorch. */
public final class TestCheckpoints {
    private TestCheckpoints() {}

    /** The seeded state_dict of {@code config} as a safetensors file: u64 header length, JSON header, float32 data. */
    public static Path writeSeeded(Path file, GhostNetConfig config, long seed) throws IOException, CheckpointException {
        return writeSeeded(file, config, seed, DType.F32, false);
    }

    /**
     * The same in {@code dtype} (F32, F16 or BF16); with {@code roundedToDtype} the values are first rounded
     * to that dtype and written as float32, so the two files hold the same numbers in different widths.
     */
    public static Path writeSeeded(Path file, GhostNetConfig config, long seed, DType dtype, boolean roundedToDtype)
            throws IOException, CheckpointException {
        DType stored = roundedToDtype ? DType.F32 : dtype;
        try (StateDict sd = SeededWeights.stateDict(config, seed)) {
            StringJoiner header = new StringJoiner(",", "{", "}");
            List<float[]> data = new ArrayList<>();
            long offset = 0;
            for (Map.Entry<String, CheckpointTensor> e : sd.tensors().entrySet()) {
                float[] values = e.getValue().toFloatArray();
                StringJoiner shape = new StringJoiner(",", "[", "]");
                for (long d : e.getValue().shape()) shape.add(Long.toString(d));
                long end = offset + (long) stored.bytes() * values.length;
                header.add("\"" + e.getKey() + "\":{\"dtype\":\"" + stored + "\",\"shape\":" + shape
                        + ",\"data_offsets\":[" + offset + "," + end + "]}");
                data.add(values);
                offset = end;
            }
            byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json);
            for (float[] values : data) {
                for (float v : values) {
                    switch (dtype) {
                        case F16 -> {
                            short half = Float.floatToFloat16(v);
                            if (roundedToDtype) out.putFloat(Float.float16ToFloat(half)); else out.putShort(half);
                        }
                        // Round to nearest even on the upper 16 bits (finite seeded weights only).
                        case BF16 -> {
                            int bits = Float.floatToRawIntBits(v);
                            int upper = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
                            if (roundedToDtype) out.putFloat(Float.intBitsToFloat(upper << 16)); else out.putShort((short) upper);
                        }
                        case F32 -> out.putFloat(v);
                        default -> throw new IllegalArgumentException("cannot write " + dtype);
                    }
                }
            }
            return Files.write(file, out.array());
        }
    }
}

package dev.ghostnet.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loads a checkpoint whatever its format, told apart by the first bytes: a {@code torch.save} zip
 * ({@code PK\3\4}), a legacy {@code torch.save} file (a pickle: {@code \x80} then a protocol number), or
 * safetensors (a plausible u64 header length followed by {@code '{'}). Everything is read in Java; the
 * tensors are slices of the memory-mapped file (or dense copies of strided views) and stay valid until
 * the returned {@link StateDict} is closed.
 */
public final class CheckpointReader {
    private CheckpointReader() {}

    private static final int PROBE = 9;

    /**
     * Reads the tensors of {@code file} in file order. A dict wrapped as {@code {"state_dict": ...}} (or
     * {@code "model_state_dict"}, {@code "model"}) is unwrapped; non-tensor values are left out.
     *
     * @throws CheckpointException naming the file (and the key, where there is one) when the file cannot
     *         be read, is not a supported format, or is truncated or inconsistent; nothing stays open then
     */
    public static StateDict read(Path file) throws CheckpointException {
        byte[] head = probe(file);
        boolean brace = head.length == PROBE && head[8] == '{';
        // Safetensors first: its header length's low bytes may look like a pickle's "\x80\x02", while
        // neither a zip nor a pickle has '{' at byte 8.
        if (brace && plausibleHeaderLength(head, file)) {
            return SafetensorsReader.read(file);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchZipCheckpoint.read(file);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return TorchLegacyCheckpoint.read(file);
        }
        if (brace) {
            return SafetensorsReader.read(file);
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0x93 && new String(head, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new CheckpointException(file + ": is a NumPy .npy array, not a checkpoint; read it with Npy.read");
        }
        throw new CheckpointException(file + ": unrecognized checkpoint format (" + (head.length == 0 ? "empty file" : "starts with "
                + hex(head)) + "); expected a torch.save zip or legacy file, or safetensors");
    }

    private static boolean plausibleHeaderLength(byte[] head, Path file) throws CheckpointException {
        long length = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        try {
            return length >= 2 && length <= SafetensorsReader.MAX_HEADER && length <= Files.size(file) - 8;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e, e);
        }
    }

    private static byte[] probe(Path file) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(PROBE);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) break;
            }
            byte[] head = new byte[buffer.position()];
            buffer.flip().get(head);
            return head;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e, e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02x ", b));
        return sb.toString().strip();
    }
}

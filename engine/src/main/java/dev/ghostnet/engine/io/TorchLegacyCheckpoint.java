package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a legacy {@code torch.save} checkpoint (before PyTorch 1.6, or {@code _use_new_zipfile_serialization=False}):
 * five pickles in a row (magic number, protocol version, system info, the data, the list of storage keys)
 * followed, for each listed key in order, by a little-endian u64 element count and the storage's raw bytes.
 * The file is mapped and tensors are slices of the mapping.
 */
final class TorchLegacyCheckpoint {
    private TorchLegacyCheckpoint() {}

    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static StateDict read(Path file) throws CheckpointException {
        String source = file.toString();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = MappedFiles.map(file, arena);
            PickleReader header = new PickleReader(mapped, source, null);
            if (!MAGIC.equals(asBig(header.read(0)))) {
                throw new CheckpointException(source + ": starts with a pickle but not PyTorch's magic number; not a torch.save file");
            }
            Object protocol = header.read(header.end());
            if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
                // typeName, not toString: a hostile pickle's value may be nested deep enough to overflow the stack.
                throw new CheckpointException(source + ": legacy protocol version " + (protocol instanceof Long
                        ? protocol : "is a " + PickleObjects.typeName(protocol)) + ", expected " + PROTOCOL_VERSION);
            }
            if (header.read(header.end()) instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                throw new CheckpointException(source + ": written on a big-endian machine, which is not supported");
            }
            Map<String, StorageRef> referenced = new HashMap<>();
            PickleReader data = new PickleReader(mapped, source, pid -> remember(referenced, TorchStorages.fromPersistentId(pid, true)));
            Object top = data.read(header.end());
            PickleReader keysReader = new PickleReader(mapped, source, null);
            Object keys = keysReader.read(data.end());
            Map<String, MemorySegment> storages = storages(source, mapped, keysReader.end(), keys, referenced);
            Map<String, TensorRef> refs = TorchStateDicts.tensorRefs(source, top);
            Map<String, CheckpointTensor> tensors = TorchStateDicts.materialize(source, refs, storage -> {
                MemorySegment bytes = storages.get(storage.key());
                if (bytes == null) {
                    throw new CheckpointException(source + ": storage '" + storage.key() + "' is not in the storage list");
                }
                return bytes;
            }, arena);
            return new StateDict(tensors, arena::close);
        } catch (CheckpointException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static StorageRef remember(Map<String, StorageRef> referenced, StorageRef storage) throws CheckpointException {
        StorageRef first = referenced.putIfAbsent(storage.key(), storage);
        if (first != null && (first.dtype() != storage.dtype() || first.rootNumel() != storage.rootNumel())) {
            throw new CheckpointException("storage '" + storage.key() + "' is referenced as both " + first.rootNumel() + " "
                    + first.dtype() + " and " + storage.rootNumel() + " " + storage.dtype());
        }
        return storage;
    }

    /** Walks the raw storages that follow the pickles: for each key, u64 element count then the bytes. */
    private static Map<String, MemorySegment> storages(String source, MemorySegment file, long start, Object keys,
            Map<String, StorageRef> referenced) throws CheckpointException {
        if (!(keys instanceof List<?> list)) {
            throw new CheckpointException(source + ": storage key list is a " + PickleObjects.typeName(keys) + ", expected a list");
        }
        Map<String, MemorySegment> storages = new HashMap<>();
        long at = start;
        for (Object k : list) {
            if (!(k instanceof String key)) {
                throw new CheckpointException(source + ": storage key list holds a " + PickleObjects.typeName(k));
            }
            StorageRef storage = referenced.get(key);
            if (storage == null) throw new CheckpointException(source + ": storage '" + key + "' is listed but never used");
            if (file.byteSize() - at < 8) {
                throw new CheckpointException(source + ": truncated: storage '" + key + "' size expected at byte " + at
                        + " but the file has " + file.byteSize() + " bytes");
            }
            long numel = file.get(LE_LONG, at);
            if (numel != storage.rootNumel()) {
                throw new CheckpointException(source + ": storage '" + key + "' at byte " + at + " has " + numel
                        + " elements, expected " + storage.rootNumel());
            }
            at += 8;
            int e = storage.dtype().bytes();
            if (numel > (file.byteSize() - at) / e) {
                throw new CheckpointException(source + ": truncated: storage '" + key + "' needs " + numel + " x " + e
                        + " bytes at byte " + at + " but the file has " + file.byteSize() + " bytes");
            }
            if (storages.put(key, file.asSlice(at, numel * e)) != null) {
                throw new CheckpointException(source + ": storage '" + key + "' is listed twice");
            }
            at += numel * e;
        }
        return storages;
    }

    private static BigInteger asBig(Object o) {
        if (o instanceof BigInteger b) return b;
        if (o instanceof Long l) return BigInteger.valueOf(l);
        return null;
    }
}

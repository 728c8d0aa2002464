package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code torch.save} zip checkpoint (PyTorch 1.6+): {@code <prefix>/data.pkl} plus one stored entry
 * {@code <prefix>/data/<key>} per storage. The file is mapped and tensors are slices of the mapping.
 */
final class TorchZipCheckpoint {
    private TorchZipCheckpoint() {}

    static StateDict read(Path file) throws CheckpointException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = MappedFiles.map(file, arena);
            ZipDirectory zip = ZipDirectory.read(mapped, file.toString());
            ZipDirectory.Entry pkl = dataPickle(file, zip);
            String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
            checkByteOrder(file, zip, prefix);
            String source = file + " (" + pkl.name() + ")";
            Object top = new PickleReader(zip.contents(pkl), source, pid -> TorchStorages.fromPersistentId(pid, false))
                    .read(0);
            Map<String, TensorRef> refs = TorchStateDicts.tensorRefs(file.toString(), top);
            Map<String, CheckpointTensor> tensors = TorchStateDicts.materialize(file.toString(), refs,
                    storage -> storageBytes(file, zip, prefix, storage), arena);
            return new StateDict(tensors, arena::close);
        } catch (CheckpointException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment storageBytes(Path file, ZipDirectory zip, String prefix, StorageRef storage)
            throws CheckpointException {
        String name = prefix + "data/" + storage.key();
        ZipDirectory.Entry entry = zip.entry(name);
        if (entry == null) {
            throw new CheckpointException(file + ": storage '" + storage.key() + "' has no zip entry '" + name + "'");
        }
        MemorySegment bytes = zip.stored(entry);
        int e = storage.dtype().bytes();
        if (storage.rootNumel() > bytes.byteSize() / e) {
            throw new CheckpointException(file + ": storage '" + storage.key() + "' of " + storage.rootNumel() + " "
                    + storage.dtype() + " elements does not fit in entry '" + name + "' of " + bytes.byteSize() + " bytes");
        }
        return bytes.asSlice(0, storage.rootNumel() * e);
    }

    /** The one {@code data.pkl} at the top of the archive's single folder (or at its root). */
    private static ZipDirectory.Entry dataPickle(Path file, ZipDirectory zip) throws CheckpointException {
        List<ZipDirectory.Entry> found = new ArrayList<>();
        for (ZipDirectory.Entry e : zip.entries()) {
            String name = e.name();
            if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9)) {
                found.add(e);
            }
        }
        if (found.size() == 1) return found.getFirst();
        throw new CheckpointException(file + ": expected one '<prefix>/data.pkl' in the zip, found "
                + (found.isEmpty() ? "none" : found.stream().map(ZipDirectory.Entry::name).toList())
                + "; is this a torch.save checkpoint?");
    }

    /** PyTorch 2 records the writer's byte order; storages are read as little-endian. */
    private static void checkByteOrder(Path file, ZipDirectory zip, String prefix) throws CheckpointException {
        ZipDirectory.Entry entry = zip.entry(prefix + "byteorder");
        if (entry == null) return;
        MemorySegment bytes = zip.stored(entry);
        if (bytes.byteSize() > 16) throw new CheckpointException(file + ": byteorder entry is " + bytes.byteSize() + " bytes");
        String order = new String(bytes.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
            throw new CheckpointException(file + ": storages are '" + order + "' endian, only 'little' is supported");
        }
    }
}

package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.Global;
import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.Tuple;
import java.util.Map;

/** Torch's storage persistent ids and storage classes, shared by the zip and the legacy format. */
final class TorchStorages {
    private TorchStorages() {}

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32,
            "DoubleStorage", DType.F64,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);

    /**
     * Parses {@code ('storage', torch.XStorage, key, location, numel)} (zip) or, when {@code legacy},
     * {@code ('storage', torch.XStorage, key, location, numel, view_metadata)} where view_metadata is None
     * or {@code (view_key, offset, view_numel)}.
     */
    static StorageRef fromPersistentId(Object pid, boolean legacy) throws CheckpointException {
        if (!(pid instanceof Tuple t) || t.size() < 5 || !"storage".equals(t.get(0))) {
            throw new CheckpointException("persistent id is not ('storage', type, key, location, numel): a "
                    + PickleObjects.typeName(pid) + (pid instanceof Tuple t2 ? " of " + t2.size() + " items" : ""));
        }
        if (!(t.get(1) instanceof Global type)) {
            throw new CheckpointException("storage type is a " + PickleObjects.typeName(t.get(1)) + ", expected a torch storage class");
        }
        DType dtype = type.module().equals("torch") ? STORAGE_TYPES.get(type.name()) : null;
        if (dtype == null) throw new CheckpointException("unsupported storage type " + type);
        if (!(t.get(2) instanceof String key)) {
            throw new CheckpointException("storage key is a " + PickleObjects.typeName(t.get(2)) + ", expected a str");
        }
        if (!(t.get(4) instanceof Long numel) || numel < 0) {
            throw new CheckpointException("storage '" + key + "' has element count " + describe(t.get(4)));
        }
        if (!legacy || t.size() < 6 || t.get(5) == null) return new StorageRef(key, dtype, numel, 0, numel);
        if (t.get(5) instanceof Tuple view && view.size() == 3 && view.get(1) instanceof Long offset
                && view.get(2) instanceof Long viewNumel && offset >= 0 && viewNumel >= 0
                && viewNumel <= numel - offset) {
            return new StorageRef(key, dtype, numel, offset, viewNumel);
        }
        throw new CheckpointException("storage '" + key + "' of " + numel + " elements has bad view metadata " + describe(t.get(5)));
    }

    private static String describe(Object o) {
        return o instanceof Long || o instanceof String ? o.toString() : PickleObjects.typeName(o);
    }
}

package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.Opaque;
import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state dict inside what {@code torch.save} stored (a bare dict, or one wrapped as
 * {@code {"state_dict": ...}}, {@code {"model_state_dict": ...}} or {@code {"model": ...}}) and turns its
 * tensors into {@link CheckpointTensor}s, in file order.
 */
final class TorchStateDicts {
    private TorchStateDicts() {}

    /** Gives the bytes of a root storage: exactly {@code rootNumel * dtype.bytes()} of them. */
    @FunctionalInterface
    interface StorageBytes {
        MemorySegment of(StorageRef storage) throws CheckpointException;
    }

    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model");
    private static final int MAX_WRAPPING = 4;

    /** The tensors of the state dict in {@code top}, in file order; other values (ints, Namespaces) are skipped. */
    static Map<String, TensorRef> tensorRefs(String source, Object top) throws CheckpointException {
        Map<?, ?> dict = unwrap(source, top);
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            if (!(entry.getKey() instanceof String key)) continue;
            if (entry.getValue() instanceof TensorRef t) {
                tensors.put(key, t);
            } else if (entry.getValue() instanceof Opaque o && o.describe().startsWith("torch._utils._rebuild_")) {
                throw new CheckpointException(source + ": tensor '" + key + "' is stored with " + o.describe()
                        + " (quantized or sparse), which is not supported");
            }
        }
        if (tensors.isEmpty()) {
            throw new CheckpointException(source + ": no tensors found; the top-level keys are " + keysOf(dict));
        }
        return tensors;
    }

    /** Resolves every tensor against its storage bytes; shared storages are fetched once. */
    static Map<String, CheckpointTensor> materialize(String source, Map<String, TensorRef> refs, StorageBytes storages,
            Arena arena) throws CheckpointException {
        Map<String, MemorySegment> byKey = new HashMap<>();
        Map<String, StorageRef> seen = new HashMap<>();
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            StorageRef s = e.getValue().storage();
            StorageRef first = seen.putIfAbsent(s.key(), s);
            if (first != null && (first.dtype() != s.dtype() || first.rootNumel() != s.rootNumel())) {
                throw new CheckpointException(source + ": tensor '" + e.getKey() + "' sees storage '" + s.key() + "' as "
                        + s.rootNumel() + " " + s.dtype() + ", an earlier tensor as " + first.rootNumel() + " " + first.dtype());
            }
            MemorySegment bytes = byKey.get(s.key());
            if (bytes == null) {
                bytes = storages.of(s);
                byKey.put(s.key(), bytes);
            }
            tensors.put(e.getKey(), StridedTensors.dense(source, e.getKey(), e.getValue(), bytes, arena));
        }
        return tensors;
    }

    private static Map<?, ?> unwrap(String source, Object top) throws CheckpointException {
        Object current = top;
        for (int depth = 0; depth <= MAX_WRAPPING; depth++) {
            if (!(current instanceof Map<?, ?> dict)) {
                String hint = current instanceof Opaque ? "; save model.state_dict() rather than the model" : "";
                throw new CheckpointException(source + ": " + (depth == 0 ? "the top-level object" : "the wrapped state dict")
                        + " is a " + PickleObjects.typeName(current) + ", expected a dict of tensors" + hint);
            }
            Object inner = wrapped(dict);
            if (inner == null) return dict;
            current = inner;
        }
        throw new CheckpointException(source + ": state dict wrapped more than " + MAX_WRAPPING + " levels deep");
    }

    /** The value under the first wrapper key that holds a dict (or a pickled object, to explain the error). */
    private static Object wrapped(Map<?, ?> dict) {
        for (String key : WRAPPER_KEYS) {
            Object value = dict.get(key);
            if (value instanceof Map<?, ?> || value instanceof Opaque) return value;
        }
        return null;
    }

    private static String keysOf(Map<?, ?> dict) {
        List<String> keys = new ArrayList<>();
        for (Object k : dict.keySet()) {
            if (keys.size() == 10) {
                keys.add("... (" + dict.size() + " in all)");
                break;
            }
            keys.add(k instanceof String s ? "'" + s + "'" : PickleObjects.typeName(k));
        }
        return keys.toString();
    }
}

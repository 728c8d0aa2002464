package dev.ghostnet.engine.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The object model the pickle reader builds. Python values map to Java as: None → {@code null}, bool →
 * {@link Boolean}, int → {@link Long} (or {@link BigInteger} beyond 64 bits), float → {@link Double},
 * str → {@link String}, bytes → {@code byte[]}, list → {@link java.util.ArrayList}, dict →
 * {@link java.util.LinkedHashMap} (insertion order kept), tuple → {@link Tuple}; the records below cover
 * the rest. Only the calls in {@link PickleCalls} are executed; any other class or callable stays an
 * {@link Opaque} value that can be carried around but never used as a tensor.
 */
final class PickleObjects {
    private PickleObjects() {}

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        int size() {
            return items.size();
        }

        Object get(int i) {
            return items.get(i);
        }
    }

    /** A module-level name the pickle refers to, e.g. {@code torch._utils._rebuild_tensor_v2}. */
    record Global(String module, String name) {
        boolean is(String module, String name) {
            return this.module.equals(module) && this.name.equals(name);
        }

        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /**
     * The result of calling or instantiating something that is not whitelisted: what was called, with what,
     * and the state a later BUILD gave it. Kept so wrapping dicts (argparse Namespace, numpy scalars, thop
     * leftovers) load; never turned into a tensor.
     */
    static final class Opaque {
        final Object callable;
        final Tuple args;
        Object state;

        Opaque(Object callable, Tuple args) {
            this.callable = callable;
            this.args = args;
        }

        String describe() {
            return callable instanceof Global g ? g.toString() : "object";
        }
    }

    /**
     * A torch storage named by a persistent id: the root storage {@code key} of {@code rootNumel} elements
     * of {@code dtype}, of which this reference sees {@code viewNumel} elements from {@code viewOffset}
     * (legacy checkpoints may reference views of a root storage; otherwise the view is the whole root).
     */
    record StorageRef(String key, DType dtype, long rootNumel, long viewOffset, long viewNumel) {}

    /** A tensor as {@code _rebuild_tensor_v2} describes it: elements {@code offset + Σ i_k·stride_k}. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A short Python-ish type name for messages; never walks into the value. */
    static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case String s -> "str";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Boolean b -> "bool";
            case Double d -> "float";
            case byte[] b -> "bytes";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Tuple t -> "tuple";
            case Global g -> "global " + g;
            case Opaque op -> op.describe() + " object";
            case StorageRef s -> "storage";
            case TensorRef t -> "tensor";
            default -> o.getClass().getSimpleName();
        };
    }
}

package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.Global;
import dev.ghostnet.engine.io.PickleObjects.Opaque;
import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import dev.ghostnet.engine.io.PickleObjects.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only callables a pickle may run (REDUCE): building an OrderedDict and describing a tensor. Anything
 * else becomes an {@link Opaque} value holding what it would have been called with.
 */
final class PickleCalls {
    private PickleCalls() {}

    static Object call(Object callable, Tuple args) throws CheckpointException {
        if (!(callable instanceof Global g)) return new Opaque(callable, args);
        if (g.is("collections", "OrderedDict")) return orderedDict(args);
        if (g.module().equals("torch._utils")) {
            switch (g.name()) {
                case "_rebuild_tensor", "_rebuild_tensor_v2" -> {
                    return rebuildTensor(g, args);
                }
                case "_rebuild_parameter", "_rebuild_parameter_with_state" -> {
                    argCount(g, args, 3);
                    if (args.get(0) instanceof TensorRef t) return t;
                    throw new CheckpointException(g + " of a " + PickleObjects.typeName(args.get(0)) + ", expected a tensor");
                }
                default -> { }
            }
        }
        if (g.is("torch._tensor", "_rebuild_from_type_v2")) {
            // (func, subclass, func_args, state): a tensor subclass; we only need what func rebuilds.
            argCount(g, args, 3);
            if (args.get(0) instanceof Global inner && inner.module().equals("torch._utils")
                    && inner.name().startsWith("_rebuild_tensor") && args.get(2) instanceof Tuple innerArgs) {
                return rebuildTensor(inner, innerArgs);
            }
        }
        return new Opaque(callable, args);
    }

    private static Map<Object, Object> orderedDict(Tuple args) throws CheckpointException {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.size() == 0) return dict;
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof Tuple kv) || kv.size() != 2 || !(kv.get(0) instanceof String key)) {
                    throw new CheckpointException("OrderedDict built from a list holding a " + PickleObjects.typeName(pair)
                            + ", expected (str, value) pairs");
                }
                dict.put(key, kv.get(1));
            }
            return dict;
        }
        throw new CheckpointException("OrderedDict called with " + args.size() + " unsupported arguments");
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static TensorRef rebuildTensor(Global g, Tuple args) throws CheckpointException {
        argCount(g, args, 4);
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw new CheckpointException(g + " argument 'storage' is a " + PickleObjects.typeName(args.get(0))
                    + ", expected a storage");
        }
        if (!(args.get(1) instanceof Long offset)) {
            throw new CheckpointException(g + " argument 'storage_offset' is a " + PickleObjects.typeName(args.get(1))
                    + ", expected an int");
        }
        long[] size = ints(g, "size", args.get(2));
        long[] stride = ints(g, "stride", args.get(3));
        if (size.length != stride.length) {
            throw new CheckpointException(g + " has " + size.length + " sizes but " + stride.length + " strides");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private static long[] ints(Global g, String what, Object o) throws CheckpointException {
        if (o instanceof Tuple t) {
            long[] values = new long[t.size()];
            for (int i = 0; i < values.length; i++) {
                if (!(t.get(i) instanceof Long v)) {
                    throw new CheckpointException(g + " argument '" + what + "' holds a " + PickleObjects.typeName(t.get(i))
                            + ", expected ints");
                }
                values[i] = v;
            }
            return values;
        }
        throw new CheckpointException(g + " argument '" + what + "' is a " + PickleObjects.typeName(o)
                + ", expected a tuple of ints");
    }

    private static void argCount(Global g, Tuple args, int atLeast) throws CheckpointException {
        if (args.size() < atLeast) {
            throw new CheckpointException(g + " called with " + args.size() + " arguments, expected at least " + atLeast);
        }
    }
}

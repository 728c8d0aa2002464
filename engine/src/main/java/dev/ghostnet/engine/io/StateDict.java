package dev.ghostnet.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint's tensors by key, in file order. Owns the resources behind the tensors' bytes (a mapped
 * file, an arena): close it once the weights have been copied out. Not thread-safe.
 */
public class StateDict implements AutoCloseable {
    private final Map<String, CheckpointTensor> tensors;
    private final AutoCloseable resources;

    public StateDict(Map<String, CheckpointTensor> tensors, AutoCloseable resources) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.resources = resources;
    }

    /** An in-memory state dict with nothing to release. */
    public static StateDict of(Map<String, CheckpointTensor> tensors) {
        return new StateDict(tensors, () -> {});
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    public Map<String, CheckpointTensor> tensors() {
        return tensors;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** The tensor under {@code key}; a missing key is an error that names it. */
    public CheckpointTensor tensor(String key) throws CheckpointException {
        CheckpointTensor t = tensors.get(key);
        if (t == null) {
            throw new CheckpointException("checkpoint has no tensor '" + key + "'");
        }
        return t;
    }

    @Override
    public void close() throws CheckpointException {
        try {
            resources.close();
        } catch (Exception e) {
            throw new CheckpointException("could not release checkpoint resources: " + e.getMessage(), e);
        }
    }
}

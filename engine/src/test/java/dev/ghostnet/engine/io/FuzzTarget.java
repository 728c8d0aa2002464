package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One loader entry point the fuzzers drive. {@link #run} feeds one input to it and returns normally when
 * the reader produced a result or rejected the input with a {@link CheckpointException} (a {@link NpyException} for .npy); anything else it
 * throws (a RuntimeException, StackOverflowError, OutOfMemoryError) is a finding. The seed corpus of a
 * target lives in {@code src/test/resources/fuzz/<directory>}.
 */
enum FuzzTarget {
    /** A torch.save zip, through the zip reader alone (mutants stay in the zip code path). */
    ZIP("zip") {
        @Override
        void read(Path file) throws CheckpointException {
            try (StateDict sd = TorchZipCheckpoint.read(file)) {
                touch(sd);
            }
        }
    },
    /** A legacy torch.save file: five pickles and raw storages. */
    LEGACY("legacy") {
        @Override
        void read(Path file) throws CheckpointException {
            try (StateDict sd = TorchLegacyCheckpoint.read(file)) {
                touch(sd);
            }
        }
    },
    /**
     * A bare data.pkl run through the pickle machine, then through the state-dict and strided-view code
     * with storages of zeros standing in for the zip's entries (so hostile sizes, strides and offsets
     * reach {@link StridedTensors}).
     */
    PICKLE("pickle") {
        @Override
        void read(Path file) throws CheckpointException {
            byte[] bytes = readAll(file);
            Object top = new PickleReader(MemorySegment.ofArray(bytes), file.toString(),
                    pid -> TorchStorages.fromPersistentId(pid, false)).read(0);
            Map<String, TensorRef> refs = TorchStateDicts.tensorRefs(file.toString(), top);
            try (Arena arena = Arena.ofConfined()) {
                Map<String, CheckpointTensor> tensors = TorchStateDicts.materialize(file.toString(), refs,
                        storage -> zeros(file, storage, bytes.length, arena), arena);
                touch(StateDict.of(tensors));
            }
        }
    },
    SAFETENSORS("safetensors") {
        @Override
        void read(Path file) throws CheckpointException {
            try (StateDict sd = SafetensorsReader.read(file)) {
                touch(sd);
            }
        }
    },
    NPY("npy") {
        @Override
        void read(Path file) throws NpyException {
            NpyArray array = Npy.read(file);
            long count = 1;
            for (long d : array.shape()) count *= d;
            if (count != array.data().length) throw new AssertionError("shape and data disagree: " + array);
        }
    };

    private final String directory;

    FuzzTarget(String directory) {
        this.directory = directory;
    }

    /** The folder under {@code resources/fuzz} holding this target's seeds and crashers. */
    String directory() {
        return directory;
    }

    /**
     * Reads {@code file} with this target's reader; its format's exception (CheckpointException, or
     * NpyException for .npy) means the input was rejected.
     */
    abstract void read(Path file) throws CheckpointException, NpyException;

    /**
     * Runs one input through the reader via {@code scratch} (the readers map files). Returns true when it
     * was accepted, false when it was rejected with a CheckpointException that names the file.
     */
    boolean run(byte[] input, Path scratch) {
        try {
            Files.write(scratch, input);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fuzz input to " + scratch, e);
        }
        try {
            read(scratch);
            return true;
        } catch (CheckpointException | NpyException e) {
            if (e.getMessage() == null || !e.getMessage().contains(scratch.toString())) {
                throw new AssertionError("rejection does not name the file: " + e.getMessage(), e);
            }
            return false;
        }
    }

    /**
     * Reads every byte of every tensor, so a slice that points outside its file fails here, in the test,
     * rather than later in a user's model.
     */
    private static void touch(StateDict sd) throws CheckpointException {
        for (CheckpointTensor t : sd.tensors().values()) {
            MemorySegment data = t.data();
            long sum = 0;
            for (long i = 0; i < data.byteSize(); i++) sum += data.get(ValueLayout.JAVA_BYTE, i);
            if (t.dtype() == DType.F32 && t.toFloatArray().length != t.elementCount()) {
                throw new AssertionError("tensor " + t + " lost elements (checksum " + sum + ")");
            }
        }
    }

    /**
     * Zeros standing in for a storage; refused (as the zip reader would refuse a storage larger than
     * its entry) when it claims more than a file of {@code fileBytes} could hold.
     */
    private static MemorySegment zeros(Path file, StorageRef storage, long fileBytes, Arena arena)
            throws CheckpointException {
        long bytes = storage.dtype().bytes();
        if (storage.rootNumel() > (fileBytes + 4096) / bytes) {
            throw new CheckpointException(file + ": storage '" + storage.key() + "' of " + storage.rootNumel()
                    + " elements is larger than the file");
        }
        return arena.allocate(storage.rootNumel() * bytes, 64);
    }

    private static byte[] readAll(Path file) throws CheckpointException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e, e);
        }
    }
}

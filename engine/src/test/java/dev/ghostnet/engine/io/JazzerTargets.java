package dev.ghostnet.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry points for Jazzer's coverage-guided fuzzing (run by {@code scripts/fuzz}), one class per
 * {@link FuzzTarget}: Jazzer calls {@code fuzzerTestOneInput} with each input and reports anything it
 * throws as a finding. A CheckpointException is the readers' normal answer and is swallowed by
 * {@link FuzzTarget#run}.
 */
public final class JazzerTargets {
    private JazzerTargets() {}

    /** The readers map files, so every input goes through one scratch file per target and process. */
    private static Path scratch(FuzzTarget target) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                    "ghostnet-fuzz-" + ProcessHandle.current().pid()));
            return dir.resolve(target.directory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Zip {
        private static final Path SCRATCH = scratch(FuzzTarget.ZIP);

        public static void fuzzerTestOneInput(byte[] data) {
            FuzzTarget.ZIP.run(data, SCRATCH);
        }
    }

    public static final class Legacy {
        private static final Path SCRATCH = scratch(FuzzTarget.LEGACY);

        public static void fuzzerTestOneInput(byte[] data) {
            FuzzTarget.LEGACY.run(data, SCRATCH);
        }
    }

    public static final class Pickle {
        private static final Path SCRATCH = scratch(FuzzTarget.PICKLE);

        public static void fuzzerTestOneInput(byte[] data) {
            FuzzTarget.PICKLE.run(data, SCRATCH);
        }
    }

    public static final class Safetensors {
        private static final Path SCRATCH = scratch(FuzzTarget.SAFETENSORS);

        public static void fuzzerTestOneInput(byte[] data) {
            FuzzTarget.SAFETENSORS.run(data, SCRATCH);
        }
    }

    public static final class Npy {
        private static final Path SCRATCH = scratch(FuzzTarget.NPY);

        public static void fuzzerTestOneInput(byte[] data) {
            FuzzTarget.NPY.run(data, SCRATCH);
        }
    }
}

package dev.ghostnet.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps a whole file read-only into an arena; the mapping lives until the arena is closed. */
final class MappedFiles {
    private MappedFiles() {}

    static MemorySegment map(Path file, Arena arena) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot map: " + e.getMessage(), e);
        }
    }
}

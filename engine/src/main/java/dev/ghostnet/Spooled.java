package dev.ghostnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checkpoints given as bytes or streams. The loaders memory-map files (tensors are slices of the mapping,
 * zip entries are found from the end), so the bytes are spooled to a private temporary file, loaded like
 * any checkpoint and the file deleted before the model is returned; messages name the input, not the file.
 */
final class Spooled {
    private Spooled() {}

    static GhostNet load(byte[] bytes, String name, PoolConfig pool) throws ModelLoadException {
        Path file;
        try {
            file = Files.createTempFile("ghostnet-", ".checkpoint");
        } catch (IOException e) {
            throw new ModelLoadException(name + ": cannot create a temporary file to load it from: " + e, e);
        }
        try {
            Files.write(file, bytes);
            return GhostNet.loadFile(file, name, LoadOptions.defaults().withPool(pool), false);
        } catch (IOException e) {
            throw new ModelLoadException(name + ": cannot write the temporary file to load it from: " + e, e);
        } catch (ModelLoadException e) {
            throw new ModelLoadException(e.getMessage().replace(file.toString(), name), e.getCause());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file left behind is harmless; the model is loaded (or the error reported) either way.
            }
        }
    }
}

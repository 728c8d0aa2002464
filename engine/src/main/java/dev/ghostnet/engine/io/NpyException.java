package dev.ghostnet.engine.io;

import java.io.IOException;
import java.io.Serial;

/** A NumPy {@code .npy} file that cannot be read or written: the message names the file and what is wrong. */
public class NpyException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public NpyException(String message) {
        super(message);
    }

    public NpyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ghostnet.engine.io;

import java.io.IOException;
import java.io.Serial;

/** A checkpoint or tensor file that cannot be used: the message names the file, key and what is wrong. */
public class CheckpointException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ghostnet.bench.compare;

import java.io.Serial;

/** A benchmark could not be carried out (a tool failed, a file is missing): reported as one line, exit 1. */
public final class BenchException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}

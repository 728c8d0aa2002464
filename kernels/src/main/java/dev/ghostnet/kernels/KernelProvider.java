package dev.ghostnet.kernels;

import java.util.List;

/** Chooses the kernel family once for the process. */
public final class KernelProvider {
    /** Every kernel path by name, for tests that run all of them. */
    public static final List<String> PATHS = List.of("vector-512", "vector-256", "vector-128", "scalar");

    private KernelProvider() {}

    public static Kernels get() {
        return ScalarKernels.INSTANCE;
    }

    /** The family called {@code name} (one of {@link #PATHS}). */
    public static Kernels of(String name) {
        if (name.equals("scalar")) {
            return ScalarKernels.INSTANCE;
        }
        throw new IllegalArgumentException("kernel path '" + name + "' is not available; known: " + PATHS);
    }
}

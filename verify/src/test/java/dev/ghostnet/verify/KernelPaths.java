package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;

/** Looks up a kernel path by name for the tests that run every path in {@link KernelProvider#PATHS}. */
final class KernelPaths {
    private KernelPaths() {}

    /**
     * The family called {@code name}. Until the Vector API family is merged, KernelProvider only has
     * "scalar" and answers the others with "not available": those tests are then reported as aborted
     * (visible in the summary as skipped, with this reason) and run by themselves once the path exists.
     * Any other failure to provide a path fails the test.
     */
    static Kernels of(String name) {
        try {
            return KernelProvider.of(name);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("not available")) {
                return abort("kernel path " + name + " is not available in this build yet: " + e.getMessage());
            }
            throw e;
        }
    }
}

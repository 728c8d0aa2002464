package dev.ghostnet.kernels;

/** Chooses the kernel family once for the process. */
public final class KernelProvider {
    private KernelProvider() {}

    public static Kernels get() {
        return ScalarKernels.INSTANCE;
    }
}

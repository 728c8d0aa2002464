package dev.ghostnet;

/** Which kernel family a model runs on (see {@link LoadOptions#withKernels}). */
public enum KernelChoice {
    /**
     * The JVM's family: the one the system property {@code ghostnet.kernels} names ({@code vector} or
     * {@code scalar}), else the Vector API kernels at the widest vectors the CPU has, else the scalar ones.
     */
    AUTO,
    /**
     * The scalar reference kernels: tens of times slower once the JIT has compiled the vector kernels, but
     * faster for the first inferences of a fresh JVM, which run interpreted or in C1 code where every Vector
     * API call allocates a box. For a short job (a command that classifies a few images) they give the
     * result sooner. Their logits differ from the vector kernels' by about 1e-6; both are checked against
     * PyTorch.
     */
    SCALAR
}

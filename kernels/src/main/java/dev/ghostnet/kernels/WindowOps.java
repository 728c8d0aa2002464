package dev.ghostnet.kernels;

/** The weightless window ops of {@link Kernels} (GhostNet v2's DFC attention): one specialised instance per width. */
interface WindowOps {
    void averagePool(Tensor in, Tensor out, int kernel, int stride, int rowFrom, int rowTo);

    void sigmoidGateNearest(Tensor gate, Tensor x, int rowFrom, int rowTo);
}

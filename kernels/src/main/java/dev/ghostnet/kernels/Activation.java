package dev.ghostnet.kernels;

/** The activation a kernel applies in its epilogue, before any residual add. */
public enum Activation {
    NONE,
    RELU;

    public float apply(float x) {
        return this == RELU ? Math.max(x, 0f) : x;
    }
}

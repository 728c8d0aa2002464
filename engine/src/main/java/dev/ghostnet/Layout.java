package dev.ghostnet;

/** How the floats of preprocessed images and of feature maps are ordered. */
public enum Layout {
    /** Image, channel, row, column: PyTorch's and NumPy's usual order. */
    NCHW,
    /** Image, row, column, channel: the engine's own order (its input is copied without reordering). */
    NHWC
}

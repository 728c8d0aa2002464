package dev.ghostnet;

/**
 * What a loaded model is, for logs and {@code ghostnet info}.
 *
 * @param architecture   e.g. {@code GhostNet v1 (width 1.0, 1000 classes)}
 * @param width          the width multiplier
 * @param numClasses     the number of output classes
 * @param parameterCount trainable parameters as PyTorch counts them (BatchNorm scale and shift included)
 * @param weightBytes    off-heap bytes of the packed weights (zero for kernels that keep them on the heap)
 * @param kernels        the kernel family running it, e.g. {@code vector-512} or {@code scalar}
 * @param origin         where the weights came from: the checkpoint, or the seed
 * @param untrained      true for seeded models, whose predictions mean nothing
 */
public record ModelInfo(String architecture, double width, int numClasses, long parameterCount, long weightBytes,
                        String kernels, String origin, boolean untrained) {}

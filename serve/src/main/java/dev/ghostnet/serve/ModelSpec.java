package dev.ghostnet.serve;

import java.nio.file.Path;

/**
 * Which model to serve and how images are prepared for it.
 *
 * @param weights       a checkpoint (.pth or .safetensors), or null for seeded untrained weights
 * @param seededWidth   width multiplier of the seeded model (ignored with weights)
 * @param seededClasses classes of the seeded model (ignored with weights)
 * @param seed          seed of the seeded model (ignored with weights)
 * @param bicubic       bicubic resize (timm's GhostNet setting) instead of torchvision's bilinear
 * @param maxPixels     the decoder refuses larger images before decoding them
 */
record ModelSpec(Path weights, double seededWidth, int seededClasses, long seed, boolean bicubic, long maxPixels) {
    ModelSpec {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("the pixel limit must be positive, got " + maxPixels);
        }
    }

    /** A seeded model: what tests and a server started without --weights use. */
    static ModelSpec seeded(double width, long seed) {
        return new ModelSpec(null, width, 1000, seed, false, 40_000_000L);
    }
}

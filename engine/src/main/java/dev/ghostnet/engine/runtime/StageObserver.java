package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.Tensor;

/**
 * Sees every stage's output as the session produces it (stem, each bottleneck, blocks.9, pooled, head,
 * logits), for parity checks and profiles. The tensor is only valid during the call.
 */
@FunctionalInterface
public interface StageObserver {
    void stageDone(String stage, Tensor output);
}

package dev.ghostnet.machine;

/** {@code steps} rounds of {@link FmaChains#CHAINS} independent vector FMAs; returns a value so none is dead code. */
public interface FmaLoop {
    float run(int steps);

    /** Lanes of one vector: one FMA instruction is this many multiply-accumulates. */
    int lanes();
}

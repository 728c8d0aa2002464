package dev.ghostnet.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * This core's fp32 FMA ceiling at a vector width, measured: {@link FmaChains} warmed up until C2 has compiled
 * it, then the best of several timed samples ({@link Sampling}) (a ceiling is what the core can do; on a loaded machine the
 * median of a kernel is compared with it, so shares come out conservative, never flattering).
 */
public final class FmaPeak {
    /** FMAs per chain per call: long enough that the call overhead vanishes, short enough for fine samples. */
    public static final int STEPS = 1000;
    /** Short calls before sampling, well past C2's invocation threshold (5,000 in tiered compilation). */
    static final int JIT_CALLS = 20_000;

    private static final Map<Integer, FmaLoop> LOOPS = new ConcurrentHashMap<>();

    private FmaPeak() {}

    /** The widest float vector this JVM runs natively (the width the kernels choose by default). */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The FMA loop for {@code bits} (128, 256 or 512), specialised once per JVM. */
    public static FmaLoop loop(int bits) {
        return LOOPS.computeIfAbsent(bits, FmaPeak::specialise);
    }

    /** Multiply-accumulates of one {@code loop(bits).run(STEPS)} call. */
    public static long macsPerCall(FmaLoop loop) {
        return (long) FmaChains.CHAINS * STEPS * loop.lanes();
    }

    /** Measures the peak at {@code bits} in G MAC/s (one FMA lane = one MAC): two to ten seconds. */
    public static double measureGmacs(int bits) {
        FmaLoop loop = loop(bits);
        long macsPerCall = macsPerCall(loop);
        // Many short calls first: the invocation counter gets the method to C2 quickly, where long interpreted
        // calls left it to on-stack replacement and, at load 25 on 2 CPUs, uncompiled for the whole 10 s
        // (0.5 G MAC/s measured for a 58 G MAC/s core).
        float sink = 0;
        for (int i = 0; i < JIT_CALLS; i++) sink += loop.run(1);
        if (Float.isNaN(sink)) throw new IllegalStateException("FMA loop produced NaN");
        return Sampling.best(() -> loop.run(STEPS), macsPerCall);
    }

    private static FmaLoop specialise(int bits) {
        VectorSpecies<Float> species = switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        };
        byte[] bytes;
        try (InputStream in = FmaChains.class.getResourceAsStream("FmaChains.class")) {
            if (in == null) throw new IllegalStateException("FmaChains.class not found next to FmaPeak");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
            return (FmaLoop) hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot specialise the FMA loop to " + species, e);
        }
    }
}

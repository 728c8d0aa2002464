package dev.ghostnet.machine;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA-throughput loop: {@value #CHAINS} independent accumulator chains, enough to cover the FMA latency
 * times the FMA ports of current x86 cores (4 cycles x 2 ports = 8 on Zen 4/5 and Intel since Skylake), so
 * the loop measures throughput, not latency. Each chain is the addend of its FMA ({@code c = m * a + c}), the
 * form the kernels use and the one x86's FMA writes in place: with the chain as a multiplicand
 * ({@code c = c * m + a}) C2 copied {@code a} into a fresh register for every FMA and, with AVX2's 16 registers,
 * spilled chains to the stack; a Zen 3 measured 21.9 G MAC/s that way against 51.7 now (C with intrinsics: 49).
 *
 * <p>A template: C2 intrinsifies Vector API calls only for a constant species, so {@link FmaPeak} defines
 * this class's bytes again as a hidden class per width, with the species as class data read into a
 * {@code static final} field. Loaded as itself it refuses to initialise.
 */
final class FmaChains implements FmaLoop {
    static final int CHAINS = 12;

    private static final VectorSpecies<Float> SPECIES = species();

    private final float multiplier = 0.9999f;
    private final float addend = 1e-4f;

    @SuppressWarnings("unchecked")
    private static VectorSpecies<Float> species() {
        try {
            VectorSpecies<Float> species = MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME,
                    VectorSpecies.class);
            if (species == null) {
                throw new IllegalStateException("FmaChains is a template: use FmaPeak.loop(bits)");
            }
            return species;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int lanes() {
        return SPECIES.length();
    }

    @Override
    public float run(int steps) {
        FloatVector m = FloatVector.broadcast(SPECIES, multiplier);
        FloatVector a = FloatVector.broadcast(SPECIES, addend);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < steps; i++) {
            c0 = m.fma(a, c0);
            c1 = m.fma(a, c1);
            c2 = m.fma(a, c2);
            c3 = m.fma(a, c3);
            c4 = m.fma(a, c4);
            c5 = m.fma(a, c5);
            c6 = m.fma(a, c6);
            c7 = m.fma(a, c7);
            c8 = m.fma(a, c8);
            c9 = m.fma(a, c9);
            c10 = m.fma(a, c10);
            c11 = m.fma(a, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}

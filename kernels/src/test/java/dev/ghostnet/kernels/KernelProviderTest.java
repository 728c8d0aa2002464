package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class KernelProviderTest {
    private static final int PREFERRED = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    @Test
    void forcingScalarWorks() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.choose("scalar", null, true));
        assertSame(ScalarKernels.INSTANCE, KernelProvider.choose(" Scalar ", "256", true));
    }

    @Test
    void withoutTheModuleFallsBackToScalarUnlessVectorIsForced() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.choose(null, null, false));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.choose("vector", null, false));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void vectorByDefaultAtThePreferredWidthCappedByTheProperty() {
        assertEquals("vector-" + PREFERRED, KernelProvider.choose(null, null, true).name());
        assertEquals("vector-128", KernelProvider.choose("vector", "128", true).name());
        assertEquals("vector-" + Math.min(256, PREFERRED), KernelProvider.choose(null, "256", true).name());
    }

    @Test
    void badPropertyValuesSayWhatIsExpected() {
        IllegalArgumentException kernels = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.choose("simd", null, true));
        assertEquals("system property ghostnet.kernels must be 'scalar' or 'vector', got 'simd'", kernels.getMessage());
        IllegalArgumentException bits = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.choose(null, "1024", true));
        assertEquals("system property ghostnet.vector.bits must be 128, 256 or 512, got '1024'", bits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.choose("vector", "wide", true));
    }

    @Test
    void everyFamilyByName() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.of("scalar"));
        for (int bits : new int[] {128, 256, 512}) {
            Kernels kernels = KernelProvider.of("vector-" + bits);
            assertEquals("vector-" + bits, kernels.name());
            assertSame(kernels, KernelProvider.of("vector-" + bits), "families are cached");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.of("gpu"));
        assertTrue(e.getMessage().contains("expected scalar, vector, vector-128"), e.getMessage());
    }

    @Test
    void getReturnsTheSameFamilyEveryTime() {
        assertSame(KernelProvider.get(), KernelProvider.get());
    }
}

package dev.ghostnet.kernels;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the {@link Kernels} family once per JVM: the Vector API family at the preferred width when
 * {@code jdk.incubator.vector} is in the boot layer, else the scalar family with one logged warning.
 *
 * <p>System properties, read once:
 * <ul>
 *   <li>{@value #KERNELS_PROPERTY} = {@code scalar} | {@code vector}: force a path ({@code vector} fails
 *       if the module is missing instead of falling back);</li>
 *   <li>{@value #BITS_PROPERTY} = {@code 128} | {@code 256} | {@code 512}: cap the vector width.</li>
 * </ul>
 * {@link #of} gives any family by name, so tests can run every path in one JVM.
 */
public final class KernelProvider {
    /** Every kernel path by name, for tests that run all of them. */
    public static final List<String> PATHS = List.of("vector-512", "vector-256", "vector-128", "scalar");

    public static final String KERNELS_PROPERTY = "ghostnet.kernels";
    public static final String BITS_PROPERTY = "ghostnet.vector.bits";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Map<String, Kernels> BY_NAME = new ConcurrentHashMap<>();

    private KernelProvider() {}

    /** The family this JVM uses, chosen on first call. */
    public static Kernels get() {
        return Default.KERNELS;
    }

    private static final class Default {
        static final Kernels KERNELS = choose(System.getProperty(KERNELS_PROPERTY), System.getProperty(BITS_PROPERTY),
                vectorModulePresent());
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The choice {@link #get} makes for these property values (null when unset). Package-private so tests
     * can check the rules without restarting the JVM.
     */
    static Kernels choose(String kernels, String bits, boolean moduleAvailable) {
        String path = kernels == null ? "auto" : kernels.trim().toLowerCase(Locale.ROOT);
        Integer cap = bits == null ? null : parseBits(bits);
        switch (path) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "vector":
                if (!moduleAvailable) {
                    throw new IllegalStateException(KERNELS_PROPERTY + "=vector but module " + VECTOR_MODULE
                            + " is not in the boot layer: start the JVM with --add-modules " + VECTOR_MODULE);
                }
                return of("vector-" + VectorWidth.choose(cap));
            case "auto":
                if (!moduleAvailable) {
                    warn("GhostNet runs on its scalar reference kernels, tens of times slower than the vector ones,"
                            + " because module " + VECTOR_MODULE + " is not loaded: start java with --add-modules "
                            + VECTOR_MODULE + " (or put the GhostNet jars on the module path)");
                    return ScalarKernels.INSTANCE;
                }
                if (!VectorWidth.supported()) {
                    warn("this CPU has no 128-bit or wider float vectors, using the slow scalar kernels");
                    return ScalarKernels.INSTANCE;
                }
                return of("vector-" + VectorWidth.choose(cap));
            default:
                throw new IllegalArgumentException("system property " + KERNELS_PROPERTY + " must be 'scalar' or"
                        + " 'vector', got '" + kernels + "'");
        }
    }

    private static void warn(String message) {
        System.getLogger(KernelProvider.class.getName()).log(System.Logger.Level.WARNING, message);
    }

    private static int parseBits(String bits) {
        String value = bits.trim();
        if (!value.equals("128") && !value.equals("256") && !value.equals("512")) {
            throw new IllegalArgumentException("system property " + BITS_PROPERTY + " must be 128, 256 or 512, got '"
                    + bits + "'");
        }
        return Integer.parseInt(value);
    }

    /**
     * A family by name: {@code scalar}, {@code vector} (preferred width), or {@code vector-128},
     * {@code vector-256}, {@code vector-512}. Vector families are created once and shared.
     */
    public static Kernels of(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("scalar")) {
            return ScalarKernels.INSTANCE;
        }
        if (key.equals("vector") || key.equals("vector-128") || key.equals("vector-256") || key.equals("vector-512")) {
            if (!vectorModulePresent()) {
                throw new IllegalStateException("kernels '" + name + "' need module " + VECTOR_MODULE
                        + ": start the JVM with --add-modules " + VECTOR_MODULE);
            }
            int bits = key.equals("vector") ? VectorWidth.choose(null) : Integer.parseInt(key.substring(7));
            return BY_NAME.computeIfAbsent("vector-" + bits, k -> VectorWidth.kernels(bits));
        }
        throw new IllegalArgumentException("unknown kernels '" + name
                + "': expected scalar, vector, vector-128, vector-256 or vector-512");
    }

    /**
     * Everything that touches the Vector API, kept out of {@link KernelProvider} so that neither it nor
     * {@link VectorKernels} is loaded unless the module is present.
     */
    private static final class VectorWidth {
        static boolean supported() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 128;
        }

        static int choose(Integer cap) {
            int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            int bits = cap == null ? preferred : Math.min(cap, preferred);
            if (bits < 128) {
                throw new IllegalStateException("the preferred vector width here is " + preferred
                        + " bits; vector kernels need at least 128 (use " + KERNELS_PROPERTY + "=scalar)");
            }
            return bits;
        }

        static Kernels kernels(int bits) {
            return VectorKernels.ofBits(bits);
        }
    }
}

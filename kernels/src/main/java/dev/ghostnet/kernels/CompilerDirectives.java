package dev.ghostnet.kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Keeps C1 away from the vector kernels' big tile methods, so HotSpot takes them from the interpreter straight
 * to C2, and C2 away from the Vector API's Java fallbacks ({@link #C2_EXCLUDED}). Installed once per JVM, before
 * the first vector op is made, as compiler directives (what {@code jcmd <pid> Compiler.directives_add} does),
 * through the platform's DiagnosticCommand MBean.
 *
 * <p>Why: C1 does not intrinsify the Vector API, and on a tile with 12-16 accumulators its profiling tier (3)
 * gives up ("out of virtual registers in LIR generator"). When C1 had compiled the method at tier 2 first (the
 * tiered policy's choice while the C2 queue is long), the failed tier-3 compile leaves it in tier-2 code for
 * good, at ~1% of its speed, boxing every vector (BENCHMARKS.md, "No JIT stalls"). Excluded from C1, a method is
 * profiled by the interpreter and compiled by C2 only, whatever the queue. Measured on the 8-pixel x 2-vector
 * pointwise tile, alone at 112->336 @14x14: 0.5 G MAC/s when C1 took it (tier 2, then tier 3 skipped), 73.5
 * with the directive, against 53.5 for the 4x2 tile C1 can compile.
 *
 * <p>All the 1x1 conv's tiles are kept from C1 since 2026-12-03, the smaller ones too: C1's boxed code for them is
 * never worth running, and its compiles competed with C2's for two cores and memory. A tile8x2 C2 compile takes
 * 46-59 MB of compiler arena, C1's of tile4x2 or tile1x2 about 20 MB more at the same time; the start-up probe's
 * peak RSS went from 190-202 to 183-184 MB (four runs each, Zen 5).
 *
 * <p>Not installed when the JVM could not run the methods at all without C1 (C2 off, {@code TieredStopAtLevel}
 * below 4), or when the system property {@value #PROPERTY} is {@code false}. When installing fails (no
 * management module, no temporary file), the kernels still run; a warning says so.
 */
final class CompilerDirectives {
    static final String PROPERTY = "ghostnet.jit.directives";
    /** Methods C1 must not compile: class pattern (hidden copies included) and method name pattern. */
    static final List<String> C1_EXCLUDED = List.of("dev/ghostnet/kernels/VectorPointwiseConv*.tile*",
            "dev/ghostnet/kernels/VectorPointwiseConv*.gemv*", "dev/ghostnet/kernels/VectorDepthwiseConv*.rowPaired*");
    /**
     * The Vector API's Java fallbacks, which C2 must not compile on their own: the intrinsic entry points' bodies
     * ({@code VectorSupport}) and what they call, the lane-by-lane loops, the lambdas and their proxies' methods
     * (only the fallbacks' functional interfaces have methods named {@code apply}, {@code load} or {@code store}
     * in {@code jdk.incubator.vector}; no public method is matched, see the test). C2 replaces a call to an entry
     * point by its intrinsic where it compiles a kernel, so these bodies run only under the interpreter and C1
     * while the kernels wait for C2. Compiling them for that was a fifth of the warm-up's C2 work (0.78 of 3.9 s
     * in one JVM, Zen 4), on the one C2 thread a 2-core machine has.
     */
    static final List<String> C2_EXCLUDED = Stream.concat(Stream.of("jdk/internal/vm/vector/VectorSupport.*"),
            Stream.of("uOp", "bOp", "tOp", "rOp", "vOp", "rvOp", "ldOp", "stOp", "ldLongOp", "stLongOp",
                    "uOpTemplate", "bOpTemplate", "tOpTemplate", "rOpTemplate", "bTest", "lambda$*", "apply",
                    "load", "store").map(method -> "jdk/incubator/vector/*." + method)).toList();

    /** What {@link #ensureInstalled} did. */
    enum Outcome { INSTALLED, DISABLED, NOT_APPLICABLE, FAILED }

    private static Outcome outcome;

    private CompilerDirectives() {}

    /** Installs the directives unless that was tried in this JVM already; returns what happened the first time. */
    static synchronized Outcome ensureInstalled() {
        if (outcome == null) {
            outcome = install();
        }
        return outcome;
    }

    /** The directives as HotSpot's JSON-like directive file format. */
    static String text() {
        return "[ { match: " + patterns(C1_EXCLUDED) + ", c1: { Exclude: true } },\n"
                + "  { match: " + patterns(C2_EXCLUDED) + ", c2: { Exclude: true } } ]\n";
    }

    private static String patterns(List<String> patterns) {
        StringBuilder match = new StringBuilder();
        for (String pattern : patterns) {
            match.append(match.isEmpty() ? "" : ", ").append('"').append(pattern).append('"');
        }
        return "[" + match + "]";
    }

    private static Outcome install() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
            return Outcome.DISABLED;
        }
        Path file = null;
        try {
            if (!c2Available()) {
                return Outcome.NOT_APPLICABLE;
            }
            file = Files.createTempFile("ghostnet-jit", ".json");
            Files.writeString(file, text());
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            if (result == null || !result.toString().contains("added")) {
                warn("the JVM did not take the kernels' compiler directives: " + result);
                return Outcome.FAILED;
            }
            return Outcome.INSTALLED;
        } catch (IOException | JMException | RuntimeException | LinkageError e) {
            warn("cannot install the kernels' compiler directives (" + e + "); big kernel tiles may then run in C1"
                    + " code, slowly, in some JVMs");
            return Outcome.FAILED;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temporary file of a few bytes is harmless
                }
            }
        }
    }

    /** Whether C2 compiles: tiered with the top tier, or C2 alone. */
    private static boolean c2Available() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName hotspot = new ObjectName("com.sun.management:type=HotSpotDiagnostic");
        String stopAt = option(server, hotspot, "TieredStopAtLevel");
        String tiered = option(server, hotspot, "TieredCompilation");
        return "4".equals(stopAt) || "false".equals(tiered);
    }

    private static String option(MBeanServer server, ObjectName hotspot, String name)
            throws JMException {
        Object info = server.invoke(hotspot, "getVMOption", new Object[] {name}, new String[] {String.class.getName()});
        return ((CompositeData) info).get("value").toString();
    }

    private static void warn(String message) {
        System.getLogger(CompilerDirectives.class.getName()).log(System.Logger.Level.WARNING, message);
    }
}

package dev.ghostnet.kernels;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompilerDirectivesTest {
    @Test
    void theVectorKernelsInstallTheExclusionsBeforeTheirFirstOp() throws Exception {
        KernelProvider.of("vector-256");
        assertEquals(CompilerDirectives.Outcome.INSTALLED, CompilerDirectives.ensureInstalled());
        String printed = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()}).toString();
        for (String pattern : Stream.concat(CompilerDirectives.C1_EXCLUDED.stream(),
                CompilerDirectives.C2_EXCLUDED.stream()).toList()) {
            assertTrue(printed.contains(pattern), pattern + " in " + printed);
        }
        assertTrue(printed.contains("Exclude:true"), printed);
    }

    @Test
    void theDirectiveTextKeepsTheTilesFromC1AndTheVectorFallbacksFromC2() {
        String text = CompilerDirectives.text();
        String[] blocks = text.split("\\},\n");
        assertEquals(2, blocks.length, text);
        for (String pattern : CompilerDirectives.C1_EXCLUDED) {
            assertTrue(blocks[0].contains('"' + pattern + '"') && !blocks[1].contains('"' + pattern + '"'), text);
        }
        for (String pattern : CompilerDirectives.C2_EXCLUDED) {
            assertTrue(blocks[1].contains('"' + pattern + '"') && !blocks[0].contains('"' + pattern + '"'), text);
        }
        assertTrue(blocks[0].contains("c1: { Exclude: true }") && !blocks[0].contains("c2"), text);
        assertTrue(blocks[1].contains("c2: { Exclude: true }") && !blocks[1].contains("c1"), text);
    }

    @Test
    void noPublicVectorMethodNorKernelIsKeptFromC2() {
        // The C2 patterns must name only fallback internals: a public API method they matched would not be
        // inlined into the C2-compiled kernels, and every vector it made would be boxed.
        for (Class<?> api : new Class<?>[] {FloatVector.class, Vector.class, VectorMask.class, VectorShuffle.class,
                VectorSpecies.class, FloatVector.zero(FloatVector.SPECIES_PREFERRED).getClass(),
                FloatVector.SPECIES_PREFERRED.maskAll(true).getClass()}) {
            for (Method method : api.getMethods()) {
                String className = method.getDeclaringClass().getName().replace('.', '/');
                for (String pattern : CompilerDirectives.C2_EXCLUDED) {
                    int dot = pattern.lastIndexOf('.');
                    boolean both = matches(pattern.substring(0, dot), className)
                            && matches(pattern.substring(dot + 1), method.getName());
                    assertTrue(!both, pattern + " matches " + method);
                }
            }
        }
        for (String pattern : CompilerDirectives.C2_EXCLUDED) {
            assertTrue(!pattern.startsWith("dev/ghostnet"), pattern);
        }
    }

    /** HotSpot's class or method pattern: an exact name, or one with a leading and/or trailing '*'. */
    private static boolean matches(String pattern, String name) {
        boolean prefix = pattern.endsWith("*");
        boolean suffix = pattern.startsWith("*");
        String core = pattern.replace("*", "");
        return prefix && suffix ? name.contains(core) : prefix ? name.startsWith(core)
                : suffix ? name.endsWith(core) : name.equals(core);
    }
}

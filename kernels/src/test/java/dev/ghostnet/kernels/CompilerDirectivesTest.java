package dev.ghostnet.kernels;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompilerDirectivesTest {
    @Test
    void theVectorKernelsInstallTheC1ExclusionBeforeTheirFirstOp() throws Exception {
        KernelProvider.of("vector-256");
        assertEquals(CompilerDirectives.Outcome.INSTALLED, CompilerDirectives.ensureInstalled());
        String printed = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()}).toString();
        for (String pattern : CompilerDirectives.C1_EXCLUDED) {
            assertTrue(printed.contains(pattern), printed);
        }
        assertTrue(printed.contains("Exclude:true"), printed);
    }

    @Test
    void theDirectiveTextMatchesEveryPatternAndExcludesC1Only() {
        String text = CompilerDirectives.text();
        for (String pattern : CompilerDirectives.C1_EXCLUDED) {
            assertTrue(text.contains('"' + pattern + '"'), text);
        }
        assertTrue(text.contains("c1: { Exclude: true }") && !text.contains("c2"), text);
    }
}

package dev.ghostnet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public {@code logits} calls allocate at most 1 KB of heap per call in steady state beyond the result
 * they return (GhostNet 1.0 at 224x224, measured in a fresh JVM by {@link PublicAllocationProbe} with the
 * per-thread allocation counters), as the engine's own sessions do: the input is copied once, straight
 * into the session's input tensor, and the logits straight out of its output. Up to {@value #ATTEMPTS}
 * fresh JVMs per case, for the reason {@code SteadyStateAllocationTest} gives (a tiered-JIT JVM that
 * leaves a kernel's vectors boxed).
 */
class PublicAllocationTest {
    private static final long BOUND = 1024;
    /** {@code new float[1000]}: a 16-byte header and 4000 bytes of floats. */
    private static final long RESULT_ARRAY = 16 + 4 * 1000;
    private static final int ATTEMPTS = 3;

    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({"session-into, 1", "model-into, 1", "session-array, 1"})
    void steadyStateLogitsAllocateAtMostOneKilobyte(String mode, int threads) throws Exception {
        long bound = BOUND + (mode.equals("session-array") ? RESULT_ARRAY : 0);
        List<Long> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long perCall = measureInFreshJvm(mode, threads, bound);
            if (perCall <= bound) {
                return;
            }
            attempts.add(perCall);
        }
        throw new AssertionError(mode + " with " + threads + " threads allocated " + attempts
                + " bytes per call in " + ATTEMPTS + " fresh JVMs, bound " + bound);
    }

    static long measureInFreshJvm(String mode, int threads, long bound, String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), PublicAllocationProbe.class.getName(),
                mode, String.valueOf(threads), String.valueOf(bound)));
        command.addAll(List.of(extra));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "allocation probe did not finish");
        assertEquals(0, probe.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("bytes-per-call "))
                .mapToLong(l -> Long.parseLong(l.substring("bytes-per-call ".length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no measurement in: " + output));
    }
}

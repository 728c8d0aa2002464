package dev.ghostnet.kernels;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers with partial channel tails, run one after the other in a fresh JVM, reach zero heap allocation per
 * call. Guards the rule of {@link VectorKernels#pointwise}: a family's kernels never mix vector widths. When
 * 128-bit tail pieces ran next to 256-bit kernels, C2 boxed the later-compiled width's vectors for good (on an
 * AVX2 Zen 3: 16->8 at 112x112 allocated 9.7 MB per call after a 128-bit 24->4 layer, and the whole network
 * 264-370 MB per inference).
 */
class ChannelTailAllocationTest {
    /**
     * Boxed kernels allocate hundreds of kilobytes per round (473,540 bytes measured); intrinsified ones nothing
     * (4 bytes measured on an AVX2 Zen 3), or a few hundred bytes where a partially masked load at a tensor's
     * end takes the Vector API's allocating path (384-640 bytes per inference measured in the network on AVX-512
     * cores, see the engine's SteadyStateAllocationTest). The bound sits far from both.
     */
    private static final long MAX_BYTES_PER_ROUND = 16 * 1024;

    @Test
    void layersWithChannelTailsAllocateNothingOnceCompiled() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process probe = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), ChannelTailAllocationProbe.class.getName(),
                String.valueOf(MAX_BYTES_PER_ROUND)))
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "allocation probe did not finish");
        assertEquals(0, probe.exitValue(), output);
        long perRound = output.lines().filter(l -> l.startsWith("bytes-per-round "))
                .mapToLong(l -> Long.parseLong(l.substring("bytes-per-round ".length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no measurement in: " + output));
        assertTrue(perRound <= MAX_BYTES_PER_ROUND, "a round of 12 layers with channel tails allocated " + perRound
                + " bytes once compiled (bound " + MAX_BYTES_PER_ROUND + "): " + output);
    }
}

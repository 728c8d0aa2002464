package dev.ghostnet.bench.jit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A slow JVM's neighbours in time: up to three on each side, itself left out, clipped at the fleet's ends. */
class JitCheckTest {
    private static ProbeRun steady(double ms) {
        double[] millis = new double[JitProbe.ALLOCATION_WINDOW];
        Arrays.fill(millis, ms);
        return new ProbeRun(millis, 0, 0, 0);
    }

    private static List<ProbeRun> fleet(double... steady) {
        return DoubleStream.of(steady).mapToObj(JitCheckTest::steady).toList();
    }

    @Test
    void aJvmInASlowStretchOfTheHostMatchesItsNeighbours() {
        List<ProbeRun> fleet = fleet(5, 5, 5, 5, 9, 9, 9, 9, 9, 9);
        assertEquals(9, JitCheck.neighbourMedian(fleet, 7), 1e-9);
        assertEquals(5, JitCheck.neighbourMedian(fleet, 0), 1e-9, "only later neighbours at the start");
    }

    @Test
    void aJvmSlowerThanItsNeighboursStandsOut() {
        List<ProbeRun> fleet = fleet(5, 5, 5, 12, 5, 5, 5);
        assertEquals(5, JitCheck.neighbourMedian(fleet, 3), 1e-9);
        assertEquals(5, JitCheck.neighbourMedian(fleet(5, 12), 1), 1e-9, "a fleet of two");
    }
}

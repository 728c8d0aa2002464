package dev.ghostnet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void cpuNameFromCpuinfo() {
        List<String> lines = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25", "model\t\t: 17",
                "model name\t: AMD EPYC 9R14 96-Core Processor", "processor\t: 1", "model name\t: other");
        assertEquals("AMD EPYC 9R14 96-Core Processor (family 25, model 17)", Machine.cpuName(lines));
        assertEquals("AMD EPYC", Machine.cpuName(List.of("model name : AMD EPYC")));
    }

    @Test
    void captionNamesCpuPeakLoadAndDate() {
        Machine quiet = new Machine("X (family 1, model 2)", 2, 512, 55.94, 0.3, "2026-12-01 20:00 UTC");
        assertEquals("X (family 1, model 2); FMA peak 55.9 G MAC/s per core (512-bit, measured in this run); "
                + "load average 0.3 on 2 CPUs; 2026-12-01 20:00 UTC", quiet.caption());
        Machine busy = new Machine("X", 2, 256, 30, 3.2, "d");
        assertTrue(busy.caption().contains("load average 3.2 on 2 CPUs (busy: figures are low)"), busy.caption());
    }

    @Test
    void everyWidthMeasuresAPositivePeak() {
        for (int bits : new int[] {128, 256, 512}) {
            FmaLoop loop = FmaPeak.loop(bits);
            assertEquals(bits / 32, loop.lanes());
            assertEquals(12L * FmaPeak.STEPS * bits / 32, FmaPeak.macsPerCall(loop));
            assertTrue(Float.isFinite(loop.run(10)));
        }
        double peak = FmaPeak.measureGmacs(FmaPeak.preferredBits());
        assertTrue(peak > 0 && Double.isFinite(peak), "peak " + peak);
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.loop(64));
    }

    @Test
    void bandwidthIsPositive() {
        double gb = Bandwidth.gbPerSecond(64 * 1024);
        assertTrue(gb > 0 && Double.isFinite(gb), "bandwidth " + gb);
    }

    @Test
    void templateRefusesToRunUnspecialised() {
        Throwable e = assertThrows(Throwable.class, () -> new FmaChains().run(1));
        assertTrue(e instanceof ExceptionInInitializerError || e instanceof IllegalStateException, e.toString());
    }
}

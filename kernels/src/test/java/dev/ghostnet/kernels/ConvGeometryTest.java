package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvGeometryTest {
    @Test
    void outputSizeIsFloorOfPaddedSpanOverStridePlusOne() {
        assertEquals(112, ConvGeometry.outputSize(224, 3, 2, 1)); // (224 + 2 - 3) / 2 + 1 = 111 + 1
        assertEquals(3, ConvGeometry.outputSize(5, 3, 2, 1));     // (5 + 2 - 3) / 2 + 1
        assertEquals(2, ConvGeometry.outputSize(4, 3, 2, 1));     // (4 + 2 - 3) / 2 + 1 = 1 + 1
        assertEquals(4, ConvGeometry.outputSize(7, 5, 2, 2));     // (7 + 4 - 5) / 2 + 1
        assertEquals(7, ConvGeometry.same(8, 8, 5, 1, 8).outputSize(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.outputSize(2, 5, 1, 0));
        assertTrue(e.getMessage().contains("input size 2 is too small for kernel 5"), e.getMessage());
    }

    @Test
    void sameUsesHalfTheKernelAsPaddingAndWeightCountHonoursGroups() {
        ConvGeometry g = ConvGeometry.same(16, 32, 3, 2, 4);
        assertEquals(1, g.padding());
        assertEquals(32 * 4 * 3 * 3, g.weightCount());
        assertEquals(2, ConvGeometry.same(8, 8, 5, 1, 8).padding());
        assertEquals(8 * 1 * 5 * 5, ConvGeometry.same(8, 8, 5, 1, 8).weightCount());
    }

    @Test
    void invalidGeometryMessagesNameTheBadValue() {
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(4, 8, 3, 1, -1, 1));
        assertTrue(padding.getMessage().contains("in=4, out=8, kernel=3, stride=1, padding=-1, groups=1"),
                padding.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(4, 8, 3, 0, 1, 1));
        assertTrue(stride.getMessage().contains("stride=0"), stride.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(6, 8, 3, 1, 1, 4));
        assertEquals("groups=4 must divide in=6 and out=8", groups.getMessage());
    }
}

package dev.ghostnet.engine.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SlabPlannerTest {
    @Test
    void overlappingLifetimesGetDifferentSlabs() {
        SlabPlanner p = new SlabPlanner();
        int a = p.place(100, 0, 2);
        int b = p.place(50, 1, 3);
        // Step 2 reads a while c is written: c may not share a's slab.
        int c = p.place(10, 2, 4);
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(b, c);
        assertEquals(List.of(100L, 50L, 10L), p.sizes());
    }

    @Test
    void aFreedSlabIsReusedBestFitFirstAndGrowsWhenNothingFits() {
        SlabPlanner p = new SlabPlanner();
        int big = p.place(100, 0, 0);
        int small = p.place(20, 0, 0);
        assertEquals(small, p.place(15, 1, 1), "the smallest free slab that fits");
        assertEquals(big, p.place(90, 2, 2));
        assertEquals(big, p.place(300, 3, 3), "nothing fits: the largest free slab grows");
        assertEquals(List.of(300L, 20L), p.sizes());
    }
}

package dev.ghostnet.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The class names {@link SegmentClasses} preloads exist in this JDK (its catch would hide a rename). */
class SegmentClassesTest {
    @Test
    void theMappedSegmentClassExistsUnderItsName() {
        assertDoesNotThrow(() -> Class.forName("jdk.internal.foreign.MappedMemorySegmentImpl", false,
                MemorySegment.class.getClassLoader()));
        SegmentClasses.load();
    }
}

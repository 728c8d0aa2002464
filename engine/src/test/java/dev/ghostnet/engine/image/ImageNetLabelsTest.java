package dev.ghostnet.engine.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNetLabelsTest {
    @Test
    void bundledListIsTorchvisionsInOrder() {
        assertEquals(1000, ImageNetLabels.size());
        assertEquals("tench", ImageNetLabels.get(0));
        assertEquals("tabby", ImageNetLabels.get(281));
        assertEquals("crane bird", ImageNetLabels.get(134));
        assertEquals("crane", ImageNetLabels.get(517));
        assertEquals("toilet tissue", ImageNetLabels.get(999));
        assertEquals(1000, ImageNetLabels.all().stream().distinct().count(), "names are unique");
        assertThrows(IndexOutOfBoundsException.class, () -> ImageNetLabels.get(1000));
        assertThrows(IndexOutOfBoundsException.class, () -> ImageNetLabels.get(-1));
    }

    @Test
    void missingResourceFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ImageNetLabels.parse(null, "/nowhere.txt"));
        assertTrue(e.getMessage().contains("/nowhere.txt") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void wrongLengthFailsClearly() {
        String names = "a\n".repeat(999);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ImageNetLabels.parse(
                new ByteArrayInputStream(names.getBytes(StandardCharsets.UTF_8)), "short.txt"));
        assertTrue(e.getMessage().contains("999") && e.getMessage().contains("1000"), e.getMessage());
    }
}

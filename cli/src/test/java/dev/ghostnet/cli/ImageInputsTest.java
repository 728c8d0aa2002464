package dev.ghostnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageInputsTest {
    @Test
    void directoriesExpandToSortedImagesRecursiveOnlyWhenAsked(@TempDir Path dir) throws IOException {
        Path b = Files.writeString(dir.resolve("b.JPEG"), "");
        Path a = Files.writeString(dir.resolve("a.png"), "");
        Files.writeString(dir.resolve("c.txt"), "");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path nested = Files.writeString(sub.resolve("d.jpg"), "");
        Path explicit = Files.writeString(dir.resolve("photo.bin"), "");

        ImageInputs flat = ImageInputs.expand(List.of(dir, explicit), false);
        assertEquals(List.of(a, b, explicit), flat.files(), "files given by name are kept whatever their extension");
        assertEquals(List.of(), flat.errors());

        assertEquals(List.of(a, b, nested), ImageInputs.expand(List.of(dir), true).files());

        ImageInputs onlySub = ImageInputs.expand(List.of(Files.createDirectories(sub.resolve("deeper"))), false);
        assertEquals(List.of(), onlySub.files());
        assertTrue(onlySub.errors().getFirst().contains("--recursive"), onlySub.errors().toString());
    }
}

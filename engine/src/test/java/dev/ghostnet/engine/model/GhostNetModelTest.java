package dev.ghostnet.engine.model;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.TestCheckpoints;
import dev.ghostnet.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GhostNetModelTest {
    /**
     * Loading binds and packs layer by layer, so a tensor whose values cannot be read is found only after the
     * layers before it were packed: the error still names the file and the key, and the model is not made.
     */
    @Test
    void aLateTensorThatCannotBeReadFailsTheLoadByName(@TempDir Path dir) throws Exception {
        GhostNetConfig config = GhostNetConfig.imagenet(0.5);
        Path good = TestCheckpoints.writeSeeded(dir.resolve("good.safetensors"), config, 5);
        byte[] bytes = Files.readAllBytes(good);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String entry = "\"classifier.bias\":{\"dtype\":\"F32\"";
        assertTrue(text.contains(entry), "the header names classifier.bias as F32");
        // I32 has F32's width, so the offsets stay valid and only the conversion to floats fails.
        Path bad = Files.write(dir.resolve("bad.safetensors"), text.replace(entry,
                "\"classifier.bias\":{\"dtype\":\"I32\"").getBytes(StandardCharsets.ISO_8859_1));

        CheckpointException e = assertThrows(CheckpointException.class,
                () -> GhostNetModel.load(bad, KernelProvider.of("scalar")));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("classifier.bias")
                && e.getMessage().contains("I32"), e.getMessage());

        try (GhostNetModel model = GhostNetModel.load(good, KernelProvider.of("scalar"))) {
            assertEquals(config, model.config());
        }
    }
}

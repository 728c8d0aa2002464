package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.image.Interpolation;
import dev.ghostnet.engine.image.PreprocessConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** timm-style config.json: the fields used, timm's defaults for absent ones, and a clear error for bad ones. */
class ModelConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheBundledModelsConfig() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        ModelConfig config = ModelConfig.read(repo.resolve("models/fashion-ghostnet/config.json"));
        assertEquals(OptionalInt.of(10), config.numClasses());
        assertEquals("T-shirt/top", config.labels().getFirst());
        assertEquals("Ankle boot", config.labels().getLast());
        PreprocessConfig p = config.preprocess();
        assertEquals(32, p.crop());
        assertEquals(32, p.resizeShorter(), "crop_pct 1.0: no enlargement before the crop");
        assertEquals(Interpolation.BILINEAR, p.interpolation());
        assertArrayEquals(new float[] {0.286f, 0.286f, 0.286f}, p.mean());
        assertArrayEquals(new float[] {0.353f, 0.353f, 0.353f}, p.std());
    }

    @Test
    void timmsImagenetConfigGivesResize256Crop224() throws Exception {
        Path file = write("config.json", """
                {"architecture": "ghostnet_100", "num_classes": 1000, "num_features": 1280,
                 "pretrained_cfg": {"input_size": [3, 224, 224], "interpolation": "bicubic", "crop_pct": 0.875,
                                    "crop_mode": "center", "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                                    "first_conv": "conv_stem", "classifier": "classifier"}}""");
        ModelConfig config = ModelConfig.read(file);
        assertEquals(PreprocessConfig.imagenet(Interpolation.BICUBIC), config.preprocess());
        assertTrue(config.labels().isEmpty());
    }

    @Test
    void absentFieldsTakeTimmsDefaults() throws Exception {
        assertEquals(PreprocessConfig.imagenet(), ModelConfig.read(write("a.json", "{\"pretrained_cfg\": {}}")).preprocess());
        ModelConfig none = ModelConfig.read(write("b.json", "{\"label_names\": [\"a\", \"b\"]}"));
        assertEquals(PreprocessConfig.imagenet(), none.preprocess());
        assertEquals(List.of("a", "b"), none.labels());
    }

    @Test
    void aConfigBesideTheCheckpointIsFound() throws Exception {
        Path checkpoint = write("model.safetensors", "");
        assertTrue(ModelConfig.beside(checkpoint).isEmpty());
        write("config.json", "{\"num_classes\": 3}");
        assertEquals(OptionalInt.of(3), ModelConfig.beside(checkpoint).orElseThrow().numClasses());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [1, 2]                                                              | expected a JSON object, found an array
            {"num_classes": 10                                                  | not valid JSON
            {"num_classes": 0}                                                  | num_classes: expected a positive integer, found 0
            {"num_classes": "ten"}                                              | num_classes: expected a positive integer, found a string
            {"num_classes": 3, "label_names": ["a", "b"]}                       | label_names has 2 names but num_classes is 3
            {"label_names": ["a", 7]}                                           | label_names: expected an array of strings, element 1 is a number
            {"pretrained_cfg": []}                                              | pretrained_cfg: expected an object, found an array
            {"pretrained_cfg": {"input_size": [1, 32, 32]}}                     | pretrained_cfg.input_size: expected [3, height, width], got [1, 32, 32]
            {"pretrained_cfg": {"input_size": [3, 32, 48]}}                     | pretrained_cfg.input_size: only square inputs are supported, got 32x48
            {"pretrained_cfg": {"input_size": [3, -32, -32]}}                   | pretrained_cfg.input_size: expected a positive integer, found -32
            {"pretrained_cfg": {"interpolation": "lanczos"}}                    | pretrained_cfg.interpolation: 'lanczos' is not supported (bilinear or bicubic)
            {"pretrained_cfg": {"crop_pct": 1.5}}                               | pretrained_cfg.crop_pct: must be in (0, 1], got 1.5
            {"pretrained_cfg": {"crop_pct": "0.9"}}                             | pretrained_cfg.crop_pct: expected a number, found a string
            {"pretrained_cfg": {"crop_mode": "squash"}}                         | pretrained_cfg.crop_mode: 'squash' is not supported (only center)
            {"pretrained_cfg": {"mean": [0.5, 0.5]}}                            | pretrained_cfg.mean: expected 3 values (R, G, B), got 2
            {"pretrained_cfg": {"std": [0.5, 0, 0.5]}}                          | pretrained_cfg.std: values must be positive, got 0.0
            """)
    void badConfigsNameTheFieldAndTheProblem(String json, String expected) throws Exception {
        Path file = write("config.json", json);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void notUtf8AndMissingFilesAreNamed() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        assertTrue(assertThrows(CheckpointException.class, () -> ModelConfig.read(latin1)).getMessage()
                .contains("not UTF-8"));
        Path missing = dir.resolve("missing.json");
        assertEquals(missing + ": no such file",
                assertThrows(CheckpointException.class, () -> ModelConfig.read(missing)).getMessage());
    }

    @Test
    void labelFilesHaveOneNamePerLine() throws Exception {
        assertEquals(List.of("cat", "dog", "hot dog"), ModelConfig.readLabels(write("l.txt", "cat\ndog\r\nhot dog\n\n")));
        assertTrue(assertThrows(CheckpointException.class, () -> ModelConfig.readLabels(write("e.txt", "\n\n")))
                .getMessage().contains("no label names"));
        assertTrue(assertThrows(CheckpointException.class, () -> ModelConfig.readLabels(write("g.txt", "a\n\nb\n")))
                .getMessage().contains("line 2 is blank"));
    }

    @Test
    void aClassCountThatDoesNotMatchTheCheckpointIsAnError() throws Exception {
        ModelConfig config = ModelConfig.read(write("config.json", "{\"num_classes\": 10}"));
        config.checkClasses(10, "m.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> config.checkClasses(1000, "m.pth"));
        assertEquals(dir.resolve("config.json") + " declares 10 classes but m.pth has 1000", e.getMessage());
        ModelConfig labelled = ModelConfig.none().withLabels(List.of("a", "b", "c"), "labels.txt");
        assertEquals("labels.txt names 3 classes but m.pth has 10",
                assertThrows(CheckpointException.class, () -> labelled.checkClasses(10, "m.pth")).getMessage());
    }
}

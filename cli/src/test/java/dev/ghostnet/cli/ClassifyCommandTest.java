package dev.ghostnet.cli;

import dev.ghostnet.engine.io.TestCheckpoints;
import dev.ghostnet.engine.io.TestJson;
import dev.ghostnet.engine.model.GhostNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ghostnet classify} end to end on the default (seeded, 224x224) model: a few images only, each
 * costs a full inference.
 */
class ClassifyCommandTest {
    private static final String UNTRAINED_NOTICE = "UNTRAINED";
    /** How many of the 10 bundled examples the committed model gets right (measured, see README). */
    private static final int EXPECTED_CORRECT_EXAMPLES = 10;

    @TempDir
    static Path dir;
    private static Path cat;
    private static Path gradient;

    @BeforeAll
    static void images() throws IOException {
        Path examples = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolveSibling("examples");
        cat = Files.copy(examples.resolve("chelsea.png"), dir.resolve("chelsea.png"));
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
        }
        gradient = dir.resolve("gradient.PNG");
        ImageIO.write(image, "png", gradient.toFile());
        Files.write(dir.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
        Files.writeString(dir.resolve("notes.txt"), "not an image, not listed");
    }

    @Test
    void aDirectoryWithOneCorruptFile() {
        CliRun run = CliRun.of("classify", "--topk", "3", "--threads", "2", "--batch", "2", dir.toString());
        assertEquals(1, run.exitCode(), run.toString());
        List<String> out = run.outLines();
        assertEquals(2, out.size(), run.toString());
        assertTrue(out.get(0).startsWith(cat + ": [UNTRAINED model] "), out.get(0));
        assertTrue(out.get(1).startsWith(gradient + ": [UNTRAINED model] "), out.get(1));
        assertTrue(out.get(0).matches(".*: \\[UNTRAINED model] [^,]+ [01]\\.\\d{3}(, [^,]+ [01]\\.\\d{3}){2}"), out.get(0));
        List<String> aboutCorrupt = run.errLines().stream().filter(l -> l.contains("corrupt.jpg")).toList();
        assertEquals(1, aboutCorrupt.size(), run.toString());
        assertTrue(aboutCorrupt.getFirst().startsWith("ghostnet: "), aboutCorrupt.getFirst());
        assertTrue(run.errLines().stream().anyMatch(l -> l.contains(UNTRAINED_NOTICE)), run.toString());
        assertEquals(2, run.errLines().size(), "the untrained notice and the corrupt file only:\n" + run);
        assertFalse(run.err().contains("\r"), "no progress bar when stderr is not a terminal");
    }

    @Test
    void jsonLinesParse() {
        CliRun run = CliRun.of("classify", "--json", "--topk", "2", "--threads", "1", cat.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.outLines().size(), run.toString());
        Map<?, ?> line = (Map<?, ?>) TestJson.parse(run.outLines().getFirst());
        assertEquals(cat.toString(), line.get("source"));
        assertEquals(Boolean.TRUE, line.get("untrained"));
        List<?> top = (List<?>) line.get("top");
        assertEquals(2, top.size());
        Map<?, ?> first = (Map<?, ?>) top.getFirst();
        assertTrue(first.get("label") instanceof String label && !label.isEmpty(), first.toString());
        double p0 = ((Number) first.get("probability")).doubleValue();
        double p1 = ((Number) ((Map<?, ?>) top.get(1)).get("probability")).doubleValue();
        assertTrue(p0 >= p1 && p0 <= 1 && p1 >= 0, top.toString());
    }

    @Test
    void aCheckpointGivesUnflaggedResults() throws Exception {
        Path weights = TestCheckpoints.writeSeeded(dir.resolve("ghostnet_050_10.safetensors"),
                new GhostNetConfig(0.5, 10), 5);
        CliRun text = CliRun.of("classify", "--weights", weights.toString(), "--topk", "2", cat.toString());
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().matches(Pattern.quote(cat.toString()) + ": class \\d [01]\\.\\d{3}, class \\d [01]\\.\\d{3}\\R"),
                text.toString());
        assertEquals("", text.err(), "no untrained notice");

        CliRun json = CliRun.of("classify", "--json", "--weights", weights.toString(), cat.toString());
        assertEquals(Boolean.FALSE, ((Map<?, ?>) TestJson.parse(json.out().strip())).get("untrained"), json.toString());
    }

    @Test
    void usageErrorsExitWithTwo() {
        for (String[] args : List.of(new String[] {"classify"}, new String[] {"classify", "--topk", "0", cat.toString()},
                new String[] {"classify", "--interpolation", "nearest", cat.toString()},
                new String[] {"classify", "--no-such-option", cat.toString()},
                new String[] {"classify", "--batch", "0", cat.toString()})) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run);
            assertTrue(run.out().isEmpty(), run.toString());
            assertTrue(run.errLines().getFirst().startsWith("ghostnet: "), run.toString());
        }
    }

    @Test
    void aMissingWeightsFileIsOneLine() {
        Path missing = dir.resolve("ghostnet_100.pth");
        CliRun run = CliRun.of("classify", "--weights", missing.toString(), cat.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(List.of("ghostnet: " + missing + ": no such file"), run.errLines());
        assertTrue(run.out().isEmpty(), run.toString());
    }

    @Test
    void missingImagesAndEmptyDirectoriesAreNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path nowhere = dir.resolve("nowhere.png");
        CliRun run = CliRun.of("classify", nowhere.toString(), empty.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains(nowhere + ": no such file or directory"), run.toString());
        assertTrue(run.err().contains(empty + ": no .png, .jpg or .jpeg files"), run.toString());
        assertTrue(run.out().isEmpty(), run.toString());
    }

    @Test
    void aConfigBesideTheCheckpointNamesTheClassesAndALabelsFileOverridesIt() throws Exception {
        Path model = Files.createDirectories(dir.resolve("labelled"));
        Path weights = TestCheckpoints.writeSeeded(model.resolve("model.safetensors"), new GhostNetConfig(0.5, 3), 5);
        Files.writeString(model.resolve("config.json"), """
                {"num_classes": 3, "label_names": ["red", "green", "blue"],
                 "pretrained_cfg": {"input_size": [3, 64, 64], "interpolation": "bicubic", "crop_pct": 1.0}}""");
        CliRun named = CliRun.of("classify", "--weights", weights.toString(), "--topk", "3", cat.toString());
        assertEquals(0, named.exitCode(), named.toString());
        assertTrue(named.out().matches(Pattern.quote(cat.toString())
                + ": (red|green|blue) [01]\\.\\d{3}, (red|green|blue) [01]\\.\\d{3}, (red|green|blue) [01]\\.\\d{3}\\R"),
                named.toString());

        Path labels = Files.writeString(dir.resolve("three.txt"), "un\ndeux\ntrois\n");
        CliRun relabelled = CliRun.of("classify", "--weights", weights.toString(), "--labels", labels.toString(),
                "--topk", "1", cat.toString());
        assertTrue(relabelled.out().matches(Pattern.quote(cat.toString()) + ": (un|deux|trois) [01]\\.\\d{3}\\R"),
                relabelled.toString());

        Path two = Files.writeString(dir.resolve("two.txt"), "yes\nno\n");
        CliRun mismatch = CliRun.of("classify", "--weights", weights.toString(), "--labels", two.toString(), cat.toString());
        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        assertEquals(List.of("ghostnet: " + two + " names 2 classes but " + weights + " has 3"), mismatch.errLines());

        Path config = Files.writeString(dir.resolve("ten.json"), "{\"num_classes\": 10}");
        CliRun wrongConfig = CliRun.of("classify", "--weights", weights.toString(), "--config", config.toString(), cat.toString());
        assertEquals(1, wrongConfig.exitCode(), wrongConfig.toString());
        assertEquals(List.of("ghostnet: " + config + " declares 10 classes but " + weights + " has 3"), wrongConfig.errLines());
    }

    @Test
    void untrainedExcludesWeightsConfigAndLabels() {
        CliRun run = CliRun.of("classify", "--untrained", "--weights", "x.pth", cat.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--untrained cannot be combined with --weights"), run.toString());
        CliRun labels = CliRun.of("classify", "--labels", "x.txt", cat.toString());
        assertEquals(2, labels.exitCode(), labels.toString());
    }

    /** The README's main job with the bundled model: the examples' file names carry their true class. */
    @Test
    void theBundledModelClassifiesTheBundledExamples() throws IOException {
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        Path weights = repo.resolve("models/fashion-ghostnet/model.safetensors");
        List<Path> examples;
        try (var files = Files.list(repo.resolve("examples"))) {
            examples = files.filter(f -> f.getFileName().toString().startsWith("t10k-")).sorted().toList();
        }
        assertEquals(10, examples.size(), "one example per class");
        List<String> args = new java.util.ArrayList<>(List.of("classify", "--weights", weights.toString(), "--topk", "1"));
        examples.forEach(e -> args.add(e.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("", run.err(), "a trained model: no notice");
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            String name = examples.get(i).getFileName().toString();
            String truth = name.substring("t10k-00000-".length(), name.length() - ".png".length());
            String line = run.outLines().get(i);
            assertTrue(line.startsWith(examples.get(i) + ": "), line);
            String label = line.substring(line.indexOf(": ") + 2, line.lastIndexOf(' '));
            correct += label.toLowerCase(java.util.Locale.ROOT).replace('/', '-').replace(' ', '-').equals(truth) ? 1 : 0;
        }
        assertEquals(EXPECTED_CORRECT_EXAMPLES, correct, "examples classified correctly:\n" + run);
    }
}

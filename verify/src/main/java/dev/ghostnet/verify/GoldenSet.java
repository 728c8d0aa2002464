package dev.ghostnet.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory make_goldens.py wrote: one model (its checkpoint in every format, unless the caller gave
 * the weights) and its cases.
 */
public record GoldenSet(Path dir) {
    /** The checkpoint formats make_goldens.py writes for a seeded model, by the manifest's name. */
    public static final Map<String, String> CHECKPOINTS =
            Map.of("zip", "model.pth", "legacy", "model_legacy.pth", "safetensors", "model.safetensors");

    private static final Pattern FEATURES = Pattern.compile("\"features\"\\s*:\\s*\\{([^}]*)}");
    private static final Pattern ENTRY = Pattern.compile("\"(\\d+)\"\\s*:\\s*\"([^\"]+)\"");

    public Path checkpoint(String format) {
        String file = CHECKPOINTS.get(format);
        if (file == null) throw new IllegalArgumentException("unknown checkpoint format '" + format + "'; known: "
                + CHECKPOINTS.keySet());
        return dir.resolve(file);
    }

    public GoldenCase testCase(int batch, int height, int width) {
        Path caseDir = dir.resolve(GoldenCase.name(batch, height, width));
        if (!Files.isDirectory(caseDir)) throw new IllegalArgumentException(dir + " has no case " + caseDir.getFileName());
        return GoldenCase.at(caseDir);
    }

    /**
     * The manifest's stride -> stage map of the multi-scale features (the Python reference's
     * FEATURE_STAGES). Read with a pattern rather than a JSON library: the manifest is ours and this one
     * flat object is all the Java side needs from it.
     */
    public Map<Integer, String> featureStages() throws IOException {
        String manifest = Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8);
        Matcher block = FEATURES.matcher(manifest);
        if (!block.find()) throw new IOException(dir.resolve("manifest.json") + ": no \"features\" object");
        Map<Integer, String> stages = new TreeMap<>();
        Matcher entry = ENTRY.matcher(block.group(1));
        while (entry.find()) stages.put(Integer.parseInt(entry.group(1)), entry.group(2));
        return stages;
    }
}

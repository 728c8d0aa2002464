package dev.ghostnet.engine.io;

import dev.ghostnet.engine.image.Interpolation;
import dev.ghostnet.engine.image.PreprocessConfig;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a timm-style {@code config.json} beside a checkpoint says about the model: its class names and
 * its evaluation transform. The fields read are timm's (Hugging Face hub layout):
 *
 * <pre>{@code
 * {"num_classes": 10, "label_names": ["T-shirt/top", ...],
 *  "pretrained_cfg": {"input_size": [3, 32, 32], "interpolation": "bilinear", "crop_pct": 1.0,
 *                     "crop_mode": "center", "mean": [0.286, 0.286, 0.286], "std": [0.353, 0.353, 0.353]}}
 * }</pre>
 *
 * Other fields are ignored. A missing {@code pretrained_cfg} field takes timm's default (224, bilinear,
 * crop_pct 0.875, ImageNet statistics); a present one that is not usable is an error naming the file and
 * the field, never silently replaced.
 *
 * @param numClasses the declared class count, if any
 * @param labels     the class names in index order, empty when the file has none
 * @param preprocess the evaluation transform: resize the shorter side to {@code floor(size / crop_pct)},
 *                   centre crop {@code size}, normalise
 * @param source     where the configuration came from, for messages
 */
public record ModelConfig(OptionalInt numClasses, List<String> labels, PreprocessConfig preprocess, String source) {
    /** The file timm and the Hugging Face hub put beside a checkpoint. */
    public static final String FILE_NAME = "config.json";
    /** Larger files are not configurations: refuse before reading them into memory. */
    private static final long MAX_BYTES = 16L << 20;
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ModelConfig {
        labels = List.copyOf(labels);
        if (numClasses.isPresent() && !labels.isEmpty() && labels.size() != numClasses.getAsInt()) {
            throw new IllegalArgumentException(source + ": " + labels.size() + " label names for "
                    + numClasses.getAsInt() + " classes");
        }
    }

    /** No configuration: no labels, torchvision's ImageNet transform. */
    public static ModelConfig none() {
        return new ModelConfig(OptionalInt.empty(), List.of(), PreprocessConfig.imagenet(), "defaults");
    }

    /** The {@value #FILE_NAME} in the checkpoint's directory, if there is one. */
    public static Optional<ModelConfig> beside(Path checkpoint) throws CheckpointException {
        Path parent = checkpoint.toAbsolutePath().getParent();
        Path config = parent == null ? null : parent.resolve(FILE_NAME);
        return config != null && Files.isRegularFile(config) ? Optional.of(read(config)) : Optional.empty();
    }

    /** Reads and checks a timm-style config.json. */
    public static ModelConfig read(Path file) throws CheckpointException {
        Object json;
        try {
            json = JsonParser.parse(readText(file));
        } catch (JsonParser.JsonException e) {
            throw new CheckpointException(file + ": not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> root)) {
            throw new CheckpointException(file + ": expected a JSON object, found " + kind(json));
        }
        Fields top = new Fields(file, "", root);
        OptionalInt classes = top.has("num_classes") ? OptionalInt.of(top.positiveInt("num_classes")) : OptionalInt.empty();
        List<String> labels = top.has("label_names") ? top.strings("label_names") : List.of();
        if (classes.isPresent() && !labels.isEmpty() && labels.size() != classes.getAsInt()) {
            throw new CheckpointException(file + ": label_names has " + labels.size() + " names but num_classes is "
                    + classes.getAsInt());
        }
        PreprocessConfig preprocess = top.has("pretrained_cfg")
                ? preprocess(top.object("pretrained_cfg")) : PreprocessConfig.imagenet();
        return new ModelConfig(classes, labels, preprocess, file.toString());
    }

    /**
     * Class names from a text file, one per line in index order (trailing blank lines ignored), as
     * {@code --labels FILE} takes them.
     */
    public static List<String> readLabels(Path file) throws CheckpointException {
        List<String> lines = new ArrayList<>(readText(file).lines().toList());
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (lines.isEmpty()) {
            throw new CheckpointException(file + ": no label names (expected one per line)");
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                throw new CheckpointException(file + ": line " + (i + 1) + " is blank (expected one label name per line)");
            }
        }
        return List.copyOf(lines);
    }

    /**
     * The same transform with these class names (a {@code --labels} file overrides the config's names and
     * its declared count; {@link #checkClasses} then checks the names against the checkpoint).
     */
    public ModelConfig withLabels(List<String> newLabels, String newSource) {
        return new ModelConfig(OptionalInt.empty(), newLabels, preprocess, newSource);
    }

    /**
     * Checks the configuration against the checkpoint's class count: a declared count or a label list of
     * another size is an error naming both.
     */
    public void checkClasses(int checkpointClasses, String checkpoint) throws CheckpointException {
        if (numClasses.isPresent() && numClasses.getAsInt() != checkpointClasses) {
            throw new CheckpointException(source + " declares " + numClasses.getAsInt() + " classes but " + checkpoint
                    + " has " + checkpointClasses);
        }
        if (!labels.isEmpty() && labels.size() != checkpointClasses) {
            throw new CheckpointException(source + " names " + labels.size() + " classes but " + checkpoint
                    + " has " + checkpointClasses);
        }
    }

    private static PreprocessConfig preprocess(Fields cfg) throws CheckpointException {
        int size = 224;
        if (cfg.has("input_size")) {
            List<Integer> dims = cfg.positiveInts("input_size");
            if (dims.size() != 3 || dims.get(0) != 3) {
                throw cfg.error("input_size", "expected [3, height, width], got " + dims);
            }
            if (!dims.get(1).equals(dims.get(2))) {
                throw cfg.error("input_size", "only square inputs are supported, got " + dims.get(1) + "x" + dims.get(2));
            }
            size = dims.get(1);
        }
        Interpolation interpolation = Interpolation.BILINEAR;
        if (cfg.has("interpolation")) {
            String name = cfg.string("interpolation");
            interpolation = switch (name) {
                case "bilinear" -> Interpolation.BILINEAR;
                case "bicubic" -> Interpolation.BICUBIC;
                default -> throw cfg.error("interpolation", "'" + name + "' is not supported (bilinear or bicubic)");
            };
        }
        if (cfg.has("crop_mode") && !"center".equals(cfg.string("crop_mode"))) {
            throw cfg.error("crop_mode", "'" + cfg.string("crop_mode") + "' is not supported (only center)");
        }
        double cropPct = cfg.has("crop_pct") ? cfg.number("crop_pct") : 0.875;
        if (!(cropPct > 0) || cropPct > 1) {
            throw cfg.error("crop_pct", "must be in (0, 1], got " + cropPct);
        }
        float[] mean = cfg.has("mean") ? cfg.channels("mean") : IMAGENET_MEAN;
        float[] std = cfg.has("std") ? cfg.channels("std") : IMAGENET_STD;
        for (float s : std) {
            if (!(s > 0)) {
                throw cfg.error("std", "values must be positive, got " + s);
            }
        }
        // timm's eval transform: Resize(floor(size / crop_pct)), CenterCrop(size).
        return new PreprocessConfig((int) Math.floor(size / cropPct), size, interpolation, mean, std);
    }

    private static String readText(Path file) throws CheckpointException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(file + ": no such file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new CheckpointException(file + ": " + Files.size(file) + " bytes is too large for a configuration");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file + ": not UTF-8 text");
        } catch (IOException e) {
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            default -> "a number";
        };
    }

    /** Typed access to one JSON object's fields, every error naming the file and the field's path. */
    private record Fields(Path file, String prefix, Map<?, ?> map) {
        boolean has(String key) {
            return map.containsKey(key) && map.get(key) != null;
        }

        CheckpointException error(String key, String problem) {
            return new CheckpointException(file + ": " + prefix + key + ": " + problem);
        }

        Fields object(String key) throws CheckpointException {
            if (map.get(key) instanceof Map<?, ?> m) {
                return new Fields(file, prefix + key + ".", m);
            }
            throw error(key, "expected an object, found " + kind(map.get(key)));
        }

        String string(String key) throws CheckpointException {
            if (map.get(key) instanceof String s) {
                return s;
            }
            throw error(key, "expected a string, found " + kind(map.get(key)));
        }

        double number(String key) throws CheckpointException {
            return number(key, map.get(key));
        }

        private double number(String key, Object value) throws CheckpointException {
            return switch (value) {
                case Long l -> l;
                case BigDecimal d -> d.doubleValue();
                default -> throw error(key, "expected a number, found " + kind(value));
            };
        }

        int positiveInt(String key) throws CheckpointException {
            return positiveInt(key, map.get(key));
        }

        private int positiveInt(String key, Object value) throws CheckpointException {
            if (value instanceof Long l && l > 0 && l <= Integer.MAX_VALUE) {
                return l.intValue();
            }
            throw error(key, "expected a positive integer, found " + (value instanceof Long || value instanceof BigDecimal
                    || value instanceof BigInteger ? value : kind(value)));
        }

        List<?> array(String key) throws CheckpointException {
            if (map.get(key) instanceof List<?> list) {
                return list;
            }
            throw error(key, "expected an array, found " + kind(map.get(key)));
        }

        List<String> strings(String key) throws CheckpointException {
            List<String> out = new ArrayList<>();
            for (Object o : array(key)) {
                if (!(o instanceof String s)) {
                    throw error(key, "expected an array of strings, element " + out.size() + " is " + kind(o));
                }
                out.add(s);
            }
            return out;
        }

        List<Integer> positiveInts(String key) throws CheckpointException {
            List<Integer> out = new ArrayList<>();
            for (Object o : array(key)) {
                out.add(positiveInt(key, o));
            }
            return out;
        }

        float[] channels(String key) throws CheckpointException {
            List<?> values = array(key);
            if (values.size() != 3) {
                throw error(key, "expected 3 values (R, G, B), got " + values.size());
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                double v = number(key, values.get(i));
                if (!Double.isFinite(v)) {
                    throw error(key, "values must be finite, got " + v);
                }
                out[i] = (float) v;
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ModelConfig[%s, %s labels, %s]", source, labels.size(), preprocess);
    }
}

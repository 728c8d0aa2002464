package dev.ghostnet.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs make_preprocess_reference.py with the reference Python ({@code $GHOSTNET_PYTHON}, else
 * /usr/bin/python3) and reads what it wrote: images plus torchvision's outputs for them.
 */
final class TorchvisionReference {
    static final String SCRIPT = "make_preprocess_reference.py";
    private static final String PROVISION_HINT = "run scripts/provision-pytorch.sh (or point GHOSTNET_PYTHON at a"
            + " Python with torch, torchvision, pillow and numpy)";

    /** One line of the manifest: a transform applied to one image file, and torchvision's results. */
    record Case(String name, Path image, Interpolation interpolation, int resize, int crop, int height, int width,
                Path pixelsFile, Path tensorFile) {
        byte[] pixels() throws IOException {
            return Files.readAllBytes(pixelsFile);
        }

        float[] tensor() throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(tensorFile)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        }

        PreprocessConfig config() {
            PreprocessConfig imagenet = PreprocessConfig.imagenet();
            return new PreprocessConfig(resize, crop, interpolation, imagenet.mean(), imagenet.std());
        }

        boolean isJpeg() {
            return image.getFileName().toString().endsWith(".jpg");
        }
    }

    private TorchvisionReference() {
    }

    static String python() {
        String configured = System.getenv("GHOSTNET_PYTHON");
        return configured == null || configured.isBlank() ? "/usr/bin/python3" : configured;
    }

    /** Generates the reference into {@code directory}, with {@code photos} as extra images; fails the test with a provisioning hint when it cannot. */
    static List<Case> generate(Path directory, List<Path> photos) throws IOException, InterruptedException {
        Path script = directory.resolve(SCRIPT);
        try (InputStream in = TorchvisionReference.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                fail("test resource " + SCRIPT + " is missing next to " + TorchvisionReference.class.getName());
            }
            Files.copy(in, script);
        }
        Path log = directory.resolve("python.log");
        Process process;
        try {
            List<String> command = new ArrayList<>(List.of(python(), script.toString(), directory.toString()));
            photos.forEach(photo -> command.add(photo.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return fail("cannot start " + python() + " (" + e.getMessage() + "): " + PROVISION_HINT);
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(SCRIPT + " did not finish in 5 minutes; its output: " + Files.readString(log));
        }
        String output = Files.readString(log);
        if (process.exitValue() == 3) {
            fail(python() + " cannot import torch/torchvision (" + output.strip() + "): " + PROVISION_HINT);
        }
        if (process.exitValue() != 0) {
            fail(SCRIPT + " failed with exit status " + process.exitValue() + ":\n" + output);
        }
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(directory.resolve("manifest.tsv"))) {
            String[] f = line.split("\t");
            cases.add(new Case(f[0], directory.resolve(f[1]), Interpolation.valueOf(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    directory.resolve(f[0] + ".u8"), directory.resolve(f[0] + ".f32")));
        }
        return cases;
    }
}

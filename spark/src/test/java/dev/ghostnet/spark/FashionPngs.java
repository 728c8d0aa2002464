package dev.ghostnet.spark;

import dev.ghostnet.verify.IdxFile;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real images for the tests: the first Fashion-MNIST test images (Debian's dataset-fashion-mnist, installed by
 * scripts/provision-fashion-mnist.sh) written as 28x28 grey PNG files, the bundled model's own input.
 */
final class FashionPngs {
    /** The project root: the module's parent. */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    static final Path WEIGHTS = ROOT.resolve("models/fashion-ghostnet/model.safetensors");
    static final Path CONFIG = ROOT.resolve("models/fashion-ghostnet/config.json");

    private FashionPngs() {}

    /** A directory of the first {@code count} test images as image-00000.png ..., written once per build. */
    static Path directory(int count) throws IOException {
        Path dir = Path.of("target", "fashion-png-" + count).toAbsolutePath();
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return dir;
        }
        Files.createDirectories(dir);
        Path data = Path.of(System.getenv().getOrDefault("GHOSTNET_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"),
                "t10k-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(data)) {
            fail("Fashion-MNIST is not at " + data + ": run scripts/provision-fashion-mnist.sh (Debian's"
                    + " dataset-fashion-mnist) or set GHOSTNET_FASHION_MNIST");
        }
        IdxFile idx = IdxFile.read(data);
        int[] shape = idx.shape();
        if (shape.length != 3) {
            fail(data + " is not an IDX file of images (shape " + java.util.Arrays.toString(shape) + ")");
        }
        if (count > shape[0]) {
            fail(data + " has " + shape[0] + " images, the test wants " + count);
        }
        int pixels = shape[1] * shape[2];
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(shape[2], shape[1], BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(idx.data(), i * pixels, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(),
                    0, pixels);
            ImageIO.write(image, "png", dir.resolve(String.format("image-%05d.png", i)).toFile());
        }
        Files.createFile(done);
        return dir;
    }
}

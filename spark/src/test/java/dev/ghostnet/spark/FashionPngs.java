package dev.ghostnet.spark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

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
    private static final int IDX_IMAGES_MAGIC = 0x00000803;

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
        try (InputStream file = Files.newInputStream(data);
             DataInputStream in = new DataInputStream(new GZIPInputStream(file, 1 << 16))) {
            if (in.readInt() != IDX_IMAGES_MAGIC) {
                fail(data + " is not an IDX file of images");
            }
            int images = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count > images) {
                fail(data + " has " + images + " images, the test wants " + count);
            }
            for (int i = 0; i < count; i++) {
                BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
                in.readFully(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
                ImageIO.write(image, "png", dir.resolve(String.format("image-%05d.png", i)).toFile());
            }
        }
        Files.createFile(done);
        return dir;
    }
}

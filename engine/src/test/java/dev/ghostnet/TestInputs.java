package dev.ghostnet;

import dev.ghostnet.engine.io.CheckpointException;
import dev.ghostnet.engine.io.CheckpointTensor;
import dev.ghostnet.engine.io.StateDict;
import dev.ghostnet.engine.model.FoldedWeights;
import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.model.SeededWeights;
import dev.ghostnet.engine.model.WeightBinder;
import dev.ghostnet.kernels.KernelProvider;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small inputs so that API tests run in well under a second on the scalar kernels. */
final class TestInputs {
    private TestInputs() {}

    /** Resize 40, crop 32: the network then runs at 32x32. */
    static final Preprocessing SMALL = new Preprocessing(40, 32, Interpolation.BILINEAR);

    static SessionConfig small(int batchCapacity, int threads) {
        return new SessionConfig(threads, batchCapacity, SMALL);
    }

    /** Random pixels, different per seed. */
    static BufferedImage image(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** Random normalised NCHW input of {@code images} 32x32 images. */
    static float[] nchw(int images, long seed) {
        float[] x = new float[images * 3 * 32 * 32];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 4 - 2);
        return x;
    }

    /**
     * A seeded model whose classifier is scaled so that the logits of {@code input} are within +-3: seeded
     * weights give logits of order 1e6 and a one-hot softmax, against which a softmax test proves nothing.
     * The classifier is linear, so scaling its weights and bias scales the logits.
     */
    static GhostNet moderateLogits(double width, int classes, long seed, float[] input) throws CheckpointException {
        GhostNetConfig config = new GhostNetConfig(width, classes);
        float max = 0;
        try (GhostNet raw = GhostNet.seeded(width, classes, seed);
             GhostNetSession session = raw.newSession(small(1, 1))) {
            for (float v : session.logits(input)) max = Math.max(max, Math.abs(v));
        }
        float scale = 3 / max;
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        try (StateDict seeded = SeededWeights.stateDict(config, seed)) {
            for (Map.Entry<String, CheckpointTensor> e : seeded.tensors().entrySet()) {
                CheckpointTensor t = e.getValue();
                if (e.getKey().startsWith("classifier.")) {
                    float[] v = t.toFloatArray();
                    for (int i = 0; i < v.length; i++) v[i] *= scale;
                    t = CheckpointTensor.ofFloats(t.name(), t.shape(), v);
                }
                tensors.put(e.getKey(), t);
            }
            FoldedWeights weights = WeightBinder.bind(StateDict.of(tensors), config);
            return GhostNet.wrap(GhostNetModel.compile(weights, KernelProvider.get()), "seeded, scaled", true);
        }
    }

    /** The repository's examples/chelsea.png (tests run in the engine module's directory). */
    static Path chelsea() {
        Path file = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize()
                .resolveSibling("examples").resolve("chelsea.png");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("expected the repository's example photograph at " + file);
        }
        return file;
    }
}

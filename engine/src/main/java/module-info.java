/**
 * GhostNet inference on the JVM: the public API is the package {@code dev.ghostnet} alone (see
 * {@link dev.ghostnet.GhostNet}). Run with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The internal packages are exported only to the project's own tools, which need more than the API:
 * the command line reads and writes {@code .npy} files and JSON ({@code engine.io}); the benchmarks and
 * the PyTorch parity check pick kernel families, observe every stage and time single steps
 * ({@code engine.model}, {@code engine.runtime}) and read {@code .npy} goldens ({@code engine.io}).
 */
module dev.ghostnet {
    requires transitive java.desktop; // BufferedImage in the API; ImageIO decodes PNG and JPEG
    requires dev.ghostnet.kernels;
    requires java.management; // the warm-up watches the JIT compiler (CompilationMXBean)

    exports dev.ghostnet;

    exports dev.ghostnet.engine.io to dev.ghostnet.cli, dev.ghostnet.bench, dev.ghostnet.verify;
    exports dev.ghostnet.engine.model to dev.ghostnet.bench, dev.ghostnet.verify;
    exports dev.ghostnet.engine.runtime to dev.ghostnet.bench, dev.ghostnet.verify;
}

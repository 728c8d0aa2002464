package dev.ghostnet.serve;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code ghostnet serve}: the HTTP inference server. Runs until SIGTERM or SIGINT, then finishes the
 * requests in flight, refuses new ones, and exits 0.
 */
@Command(name = "ghostnet serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve GhostNet over HTTP: POST /v1/classify, the Open Inference Protocol v2 (/v2/...),"
                + " /metrics (Prometheus) and a page at /.")
public final class ServeMain implements Callable<Integer> {
    static final String VERSION = "0.1.0";

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Checkpoint (.pth or .safetensors). Default: seeded untrained GhostNet 1.0.")
    Path weights;

    @Option(names = "--config", paramLabel = "C", defaultValue = "torchvision",
            description = "Preprocessing: torchvision (bilinear resize, the default) or timm (bicubic).")
    String preprocessing;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--name", defaultValue = "ghostnet", description = "Model name in /v2/models/{name} (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--workers", defaultValue = "1", description = "Worker threads, one session each (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--threads", description = "Threads per session (default: available cores / workers).")
    Integer threads;

    @Option(names = "--max-batch", defaultValue = "8", description = "Images per batch at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "5",
            description = "Wait for a batch to fill at most this long (default: ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--queue", defaultValue = "16", description = "Requests queued at most; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--deadline-ms", defaultValue = "10000", description = "Answer 504 after this long (default: ${DEFAULT-VALUE}).")
    int deadlineMs;

    @Option(names = "--max-image-bytes", defaultValue = "8388608", description = "Largest image body (default: ${DEFAULT-VALUE}).")
    int maxImageBytes;

    @Option(names = "--max-json-bytes", defaultValue = "67108864", description = "Largest JSON body (default: ${DEFAULT-VALUE}).")
    int maxJsonBytes;

    @Option(names = "--max-pixels", defaultValue = "40000000", description = "Largest image in pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--drain-ms", defaultValue = "10000",
            description = "On SIGTERM, how long in-flight requests may take (default: ${DEFAULT-VALUE}).")
    int drainMs;

    @Option(names = "--seeded-width", defaultValue = "1.0", description = "Width of the seeded model without --weights.")
    double seededWidth;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!preprocessing.equals("torchvision") && !preprocessing.equals("timm")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--config must be torchvision or timm, got '" + preprocessing + "'");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ServerConfig config;
        ModelSpec spec;
        try {
            config = new ServerConfig(host, port, name, workers, threads != null ? threads : Math.max(1, cores / workers),
                    maxBatch, maxDelayMs, queue, deadlineMs, maxImageBytes, maxJsonBytes, drainMs);
            spec = new ModelSpec(weights, seededWidth, 1000, 42, preprocessing.equals("timm"), maxPixels);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (weights == null) {
            System.err.println("ghostnet serve: no --weights given: serving a seeded GhostNet " + seededWidth
                    + " (UNTRAINED, its predictions are meaningless)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Engine engine;
        try {
            engine = Engine.open(spec);
        } catch (IOException e) {
            System.err.println("ghostnet serve: cannot load the model: " + e.getMessage());
            return 1;
        }
        InferenceServer started;
        try {
            started = InferenceServer.start(config, engine);
        } catch (RuntimeException e) {
            engine.close();
            System.err.println("ghostnet serve: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        try (engine; InferenceServer server = started) {
            // A signal handler rather than a shutdown hook: after a hook the JVM exits 143, and SIGTERM is
            // the normal way to stop a server, which should then exit 0. javac warns that sun.misc.Signal
            // is internal; it is exported by jdk.unsupported for exactly this use.
            Signal.handle(new Signal("TERM"), signal -> stop.countDown());
            Signal.handle(new Signal("INT"), signal -> stop.countDown());
            System.out.println("ghostnet serve: listening on http://" + host + ":" + server.port() + " ("
                    + engine.describe() + "; " + config + ")");
            System.out.flush();
            stop.await();
            System.out.println("ghostnet serve: shutting down: finishing requests in flight");
            System.out.flush();
            server.shutdown();
        }
        System.out.println("ghostnet serve: stopped");
        return 0;
    }
}

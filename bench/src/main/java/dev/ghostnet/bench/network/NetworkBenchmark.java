package dev.ghostnet.bench.network;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.engine.model.GhostNetModel;
import dev.ghostnet.engine.runtime.InferenceSession;
import dev.ghostnet.engine.runtime.SessionOptions;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The whole network, width 1.0, 224x224, batch 1, on 1 and 2 threads, with whatever kernel family
 * {@link KernelProvider#get()} picks: the same code path as {@code ghostnet run}. Time per inference.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar NetworkBenchmark} or {@code ghostnet bench --jmh NetworkBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class NetworkBenchmark {
    @Param({"1", "2"})
    int threads;

    private GhostNetModel model;
    private InferenceSession session;

    @Setup(Level.Trial)
    public void setUp() {
        model = GhostNetModel.seeded(GhostNetConfig.imagenet(1.0), 1, KernelProvider.get());
        session = new InferenceSession(model, new SessionOptions(1, 224, 224, threads));
        Random random = new Random(1);
        float[] input = new float[3 * 224 * 224];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        session.setInputNchw(input);
    }

    @Benchmark
    public Tensor inference() {
        return session.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        model.close();
    }
}

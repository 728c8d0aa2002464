package dev.ghostnet.bench.kernels;

import dev.ghostnet.kernels.Activation;
import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.KernelProvider;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernels on GhostNet 1.0's layer shapes at 224x224, one image, one thread, vector and scalar family
 * in the same run. Scores are runs per second; {@link KernelReport} turns them into G MAC/s and ratios.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmarks {

    private static Tensor randomTensor(Arena arena, Random random, int h, int w, int c) {
        Tensor t = Tensor.allocate(arena, 1, h, w, c);
        float[] values = new float[h * w * c];
        for (int i = 0; i < values.length; i++) values[i] = random.nextFloat() * 2 - 1;
        t.copyFrom(values);
        return t;
    }

    private static float[] weights(Random random, int count, int fanIn) {
        float[] w = new float[count];
        for (int i = 0; i < count; i++) w[i] = (float) ((random.nextFloat() * 2 - 1) / Math.sqrt(fanIn));
        return w;
    }

    @State(Scope.Thread)
    public static class Pointwise {
        @Param({"vector", "scalar"})
        public String family;
        @Param({"112x112:16->8", "112x112:16->24", "56x56:24->36", "56x56:48->12", "56x56:72->12",
                "28x28:72->20", "28x28:120->20", "28x28:40->60", "28x28:40->120", "14x14:80->100", "14x14:184->40",
                "14x14:112->336", "14x14:672->56", "7x7:960->80", "7x7:160->480", "7x7:160->960"})
        public String shape;

        Arena arena;
        PointwiseConv op;
        Tensor in;
        Tensor out;
        long pixels;

        @Setup
        public void setUp() {
            LayerShape s = LayerShape.pointwise(shape);
            Kernels kernels = KernelProvider.of(family);
            Random random = new Random(1);
            arena = Arena.ofShared();
            op = kernels.pointwise(arena, weights(random, s.in() * s.out(), s.in()), weights(random, s.out(), 1),
                    s.in(), s.out(), Activation.RELU);
            in = randomTensor(arena, random, s.height(), s.width(), s.in());
            out = Tensor.allocate(arena, 1, s.height(), s.width(), s.out());
            pixels = in.pixels();
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public void pointwise(Pointwise p) {
        p.op.run(p.in, p.out, null, 0, p.pixels);
    }

    @State(Scope.Thread)
    public static class Depthwise {
        @Param({"vector", "scalar"})
        public String family;
        @Param({"112x112x8:k3s1", "112x112x24:k3s1", "112x112x48:k3s2", "56x56x12:k3s1", "56x56x36:k3s1",
                "56x56x72:k5s2", "28x28x20:k3s1", "28x28x60:k3s1", "28x28x120:k3s1", "28x28x240:k3s2",
                "14x14x92:k3s1", "14x14x336:k3s1", "14x14x672:k5s2", "7x7x80:k3s1", "7x7x480:k3s1"})
        public String shape;

        Arena arena;
        DepthwiseConv op;
        Tensor in;
        Tensor out;

        @Setup
        public void setUp() {
            LayerShape s = LayerShape.depthwise(shape);
            Kernels kernels = KernelProvider.of(family);
            Random random = new Random(1);
            arena = Arena.ofShared();
            int taps = s.kernel() * s.kernel();
            op = kernels.depthwise(arena, weights(random, s.in() * taps, taps), weights(random, s.in(), 1), s.in(),
                    s.kernel(), s.stride(), Activation.RELU);
            in = randomTensor(arena, random, s.height(), s.width(), s.in());
            out = Tensor.allocate(arena, 1, s.outHeight(), s.outWidth(), s.out());
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public void depthwise(Depthwise d) {
        d.op.run(d.in, d.out, null, 0, d.out.height());
    }

    @State(Scope.Thread)
    public static class Dense {
        @Param({"vector", "scalar"})
        public String family;
        @Param({"224x224:3->16:k3s2"})
        public String shape;

        Arena arena;
        DenseConv op;
        Tensor in;
        Tensor out;

        @Setup
        public void setUp() {
            LayerShape s = LayerShape.dense(shape);
            Kernels kernels = KernelProvider.of(family);
            Random random = new Random(1);
            arena = Arena.ofShared();
            int fanIn = s.in() * s.kernel() * s.kernel();
            op = kernels.dense(arena, weights(random, s.out() * fanIn, fanIn), weights(random, s.out(), 1), s.in(),
                    s.out(), s.kernel(), s.stride(), Activation.RELU);
            in = randomTensor(arena, random, s.height(), s.width(), s.in());
            out = Tensor.allocate(arena, 1, s.outHeight(), s.outWidth(), s.out());
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public void dense(Dense d) {
        d.op.run(d.in, d.out, 0, d.out.height());
    }
}

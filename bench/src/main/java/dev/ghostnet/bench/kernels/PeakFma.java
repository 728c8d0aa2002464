package dev.ghostnet.bench.kernels;

import dev.ghostnet.machine.FmaLoop;
import dev.ghostnet.machine.FmaPeak;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This core's measured FMA ceiling under JMH, to state kernel figures as a share of what the machine really
 * does: the FMA loop {@code ghostnet bench --profile} and {@code --kernels} measure too ({@link FmaPeak}),
 * at the preferred width; one call is {@link FmaPeak#macsPerCall} multiply-accumulates.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PeakFma {
    private final FmaLoop loop = FmaPeak.loop(FmaPeak.preferredBits());

    @Benchmark
    public float fma() {
        return loop.run(FmaPeak.STEPS);
    }

    static long macsPerCall() {
        return FmaPeak.macsPerCall(FmaPeak.loop(FmaPeak.preferredBits()));
    }
}

package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link ChannelTailAllocationTest} in a JVM of its own: GhostNet's layer shapes whose channel tails are
 * not a whole vector at any width (4, 8, 12, 20, 36 channels), the narrowest first, on this JVM's default kernels;
 * warmed up until a round of all layers stops allocating (or a limit), then prints
 * {@code bytes-per-round N}, the heap bytes one round allocated.
 */
public final class ChannelTailAllocationProbe {
    static final int CALLS_PER_BATCH = 200;
    static final int MAX_WARMUP_BATCHES = 40;
    private static final int SIZE = 28;

    private ChannelTailAllocationProbe() {}

    public static void main(String[] args) throws JMException {
        long settledBytes = Long.parseLong(args[0]);
        Kernels kernels = KernelProvider.get();
        try (Arena arena = Arena.ofConfined()) {
            List<Runnable> layers = new ArrayList<>();
            for (int[] io : new int[][] {{24, 4}, {24, 36}, {24, 20}, {16, 8}, {72, 20}, {48, 12}, {80, 100}}) {
                PointwiseConv op = kernels.pointwise(arena, new float[io[0] * io[1]], new float[io[1]], io[0], io[1],
                        Activation.RELU);
                Tensor in = Tensor.allocate(arena, 1, SIZE, SIZE, io[0]);
                Tensor out = Tensor.allocate(arena, 1, SIZE, SIZE, io[1]);
                in.fill(0.5f);
                layers.add(() -> op.run(in, out, null, 0, (long) SIZE * SIZE));
            }
            for (int channels : new int[] {4, 36, 20, 8, 12}) {
                DepthwiseConv op = kernels.depthwise(arena, new float[channels * 9], new float[channels], channels,
                        3, 1, Activation.RELU);
                Tensor in = Tensor.allocate(arena, 1, SIZE, SIZE, channels);
                Tensor out = Tensor.allocate(arena, 1, SIZE, SIZE, channels);
                in.fill(0.5f);
                layers.add(() -> op.run(in, out, null, 0, SIZE));
            }
            long id = Thread.currentThread().threadId();
            long perRound = Long.MAX_VALUE;
            for (int batch = 0; batch < MAX_WARMUP_BATCHES && perRound > settledBytes; batch++) {
                long before = allocatedBytes(id);
                for (int call = 0; call < CALLS_PER_BATCH; call++) {
                    layers.forEach(Runnable::run);
                }
                perRound = (allocatedBytes(id) - before) / CALLS_PER_BATCH;
            }
            System.out.println("kernels " + kernels.name());
            System.out.println("bytes-per-round " + perRound);
        }
    }

    /**
     * The thread's heap allocation so far, through the platform MBean server: the kernels module reads no
     * {@code com.sun.management} types.
     */
    private static long allocatedBytes(long threadId) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return (Long) server.invoke(new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME), "getThreadAllocatedBytes",
                new Object[] {threadId}, new String[] {long.class.getName()});
    }
}

package dev.ghostnet.engine.io;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs inputs through a {@link FuzzTarget} on a worker thread, one at a time, and records what each
 * did. A finding is an input that threw anything but a CheckpointException, ran past the per-input
 * timeout, or allocated more heap than {@link #heapBudget} allows for its size (a small file must not
 * make the reader allocate a lot before rejecting it). Findings are written to {@code findings/} as
 * {@code crash-<sha1>} so they can be replayed and committed as regression inputs.
 */
final class FuzzRunner implements AutoCloseable {
    /** One input that broke the contract, and how. */
    record Finding(FuzzTarget target, byte[] input, String problem, Throwable cause, Path savedAs) {}

    /** What a batch of inputs did. */
    record Report(FuzzTarget target, int inputs, int accepted, int rejected, List<Finding> findings) {}

    private final FuzzTarget target;
    private final Path scratch;
    private final Path findings;
    private final long timeoutMillis;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private ExecutorService worker = newWorker();
    private int accepted;
    private int rejected;
    private int inputs;
    private final List<Finding> found = new ArrayList<>();

    FuzzRunner(FuzzTarget target, Path workDir, Path findings, long timeoutMillis) throws IOException {
        this.target = target;
        this.scratch = Files.createDirectories(workDir).resolve("input-" + target.directory());
        this.findings = findings;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Heap an input of {@code length} bytes may make the reader allocate: 256 bytes per input byte (a
     * pickle's 3-byte "empty dict, key" sequence costs ~130 bytes of LinkedHashMap) plus a fixed 16 MiB for
     * buffers and class loading. A claimed size the reader trusts before checking it blows far past this.
     */
    static long heapBudget(int length) {
        return (16L << 20) + 256L * length;
    }

    /** Runs one input; returns its finding, or null when it was accepted or rejected properly. */
    Finding run(byte[] input) {
        inputs++;
        Future<Long> result = worker.submit(() -> {
            long thread = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(thread);
            boolean ok = target.run(input, scratch);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            return ok ? allocated : -1 - allocated;
        });
        try {
            long outcome = result.get(timeoutMillis, TimeUnit.MILLISECONDS);
            long allocated = outcome >= 0 ? outcome : -1 - outcome;
            if (outcome >= 0) accepted++;
            else rejected++;
            if (allocated > heapBudget(input.length)) {
                return record(input, "allocated " + allocated + " heap bytes for a " + input.length
                        + "-byte input (budget " + heapBudget(input.length) + ")", null);
            }
            return null;
        } catch (TimeoutException e) {
            result.cancel(true);
            // The stuck thread cannot be stopped; abandon it (daemon) and carry on with a fresh one.
            worker.shutdownNow();
            worker = newWorker();
            return record(input, "no result within " + timeoutMillis + " ms (hang)", null);
        } catch (ExecutionException e) {
            return record(input, "escaped as " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fuzzing " + target, e);
        }
    }

    Report report() {
        return new Report(target, inputs, accepted, rejected, List.copyOf(found));
    }

    private Finding record(byte[] input, String problem, Throwable cause) {
        Path saved = null;
        try {
            Files.createDirectories(findings);
            saved = findings.resolve("crash-" + sha1(input));
            Files.write(saved, input);
        } catch (IOException e) {
            problem += " (could not save the input: " + e + ")";
        }
        Finding f = new Finding(target, input, problem, cause, saved);
        found.add(f);
        return f;
    }

    private static String sha1(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            // A big stack would hide recursion bugs the default stack finds; keep the JVM default.
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

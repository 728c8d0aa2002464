package dev.ghostnet.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics: requests by endpoint and status, their latency, the batch-size and
 * inference-time distributions, and the queue depth (plus the JVM's memory, threads and CPU).
 */
final class ServeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSize;
    private final Timer inference;

    ServeMetrics(int maxBatch) {
        double[] sizes = new double[maxBatch];
        for (int i = 0; i < maxBatch; i++) {
            sizes[i] = i + 1;
        }
        batchSize = DistributionSummary.builder("ghostnet.batch.size")
                .description("images per batch run by a worker")
                .baseUnit("images")
                .serviceLevelObjectives(sizes)
                .register(registry);
        inference = Timer.builder("ghostnet.inference")
                .description("time a worker spends running one batch")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    void queueDepth(AtomicInteger pending) {
        Gauge.builder("ghostnet.queue.depth", pending, AtomicInteger::get)
                .description("requests admitted and not yet in a batch")
                .register(registry);
    }

    void inFlight(AtomicInteger requests) {
        Gauge.builder("ghostnet.requests.in.flight", requests, AtomicInteger::get)
                .description("HTTP requests received and not yet answered")
                .register(registry);
    }

    void batch(int images, long nanos) {
        batchSize.record(images);
        inference.record(nanos, TimeUnit.NANOSECONDS);
    }

    void request(String endpoint, int status, long nanos) {
        String code = Integer.toString(status);
        Counter.builder("ghostnet.requests")
                .description("HTTP requests by endpoint and status")
                .tags("endpoint", endpoint, "status", code)
                .register(registry)
                .increment();
        Timer.builder("ghostnet.request.latency")
                .description("time from receiving a request to its response, by endpoint and status")
                .tags("endpoint", endpoint, "status", code)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }
}

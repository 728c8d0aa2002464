package dev.ghostnet.serve;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load test in miniature (scripts/loadtest is the real one): clients below the server's capacity post
 * images for a few seconds; every answer must be a 200 with predictions. Bounded in count and time.
 */
class LoadSmokeTest {
    private static final int CLIENTS = 4;
    private static final long SECONDS = 3;
    private static final int MAX_REQUESTS_PER_CLIENT = 200;

    @Test
    void clientsBelowCapacityGetOnlyAnswers() throws Exception {
        ServerConfig config = TestServers.config().withWorkers(1, 2).withBatching(4, 5, 16);
        try (InferenceServer server = InferenceServer.start(config, TestServers.engine());
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            byte[] image = TestServers.chelsea();
            assertEquals(200, TestServers.post(server, "/v1/classify", image, "image/png").statusCode()); // warm-up
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < end; i++) {
                        HttpResponse<byte[]> r = TestServers.post(server, "/v1/classify", image, "image/png");
                        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        assertTrue(r.statusCode() != 200 || new String(r.body()).contains("\"predictions\""));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            Map<Integer, Integer> counts = new TreeMap<>();
            statuses.forEach((status, n) -> counts.put(status, n.get()));
            assertEquals(List.of(200), List.copyOf(counts.keySet()), "only answers below capacity: " + counts);
            assertTrue(counts.get(200) >= CLIENTS, "each client was answered at least once: " + counts);
        }
    }
}

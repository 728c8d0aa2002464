package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchBaselineTest {
    /** The fields of bench_torch.py's --json line that the comparison reads, as that script writes them. */
    private static final String OUTPUT = """
            some warning torch printed on stdout
            {"engine": "pytorch-torchscript-frozen-optimized", "torch_version": "1.13.1", "threads": 2, "batch": 8, \
            "iters": 40, "warmup": 5, "ms_per_batch": {"median": 80.0, "p10": 76.0, "p90": 96.0, "min": 72.0}, \
            "ms_per_image": {"median": 10.0, "p10": 9.5, "p90": 12.0, "min": 9.0}, \
            "first_logits_ms": {"from_process_start": 8123.5, "from_script_start": 7000.0}, \
            "peak_rss_mb": 380.25, "argmax": [1, 2]}
            """;

    @Test
    void readsTheLastLineAsJson() throws BenchException {
        float[] logits = {1, 2};
        TorchBaseline.Result r = TorchBaseline.parse(OUTPUT.strip(), logits);
        assertEquals(10.0, r.perImageMs().median());
        assertEquals(12.0, r.perImageMs().p90());
        assertEquals(9.5, r.perImageMs().p10());
        assertEquals(9.0, r.perImageMs().min());
        assertEquals(40, r.perImageMs().count());
        assertEquals(8123.5, r.firstLogitsMs());
        assertEquals(380.25, r.peakRssMb());
        assertEquals("1.13.1", r.version());
    }

    @Test
    void missingFieldsAndNonJsonAreOneLineErrors() {
        BenchException missing = assertThrows(BenchException.class,
                () -> TorchBaseline.parse("{\"iters\": 3, \"ms_per_image\": {}}", new float[0]));
        assertTrue(missing.getMessage().contains("'median'"), missing.getMessage());
        BenchException garbage = assertThrows(BenchException.class, () -> TorchBaseline.parse("Traceback", new float[0]));
        assertTrue(garbage.getMessage().startsWith("bench_torch.py printed no usable JSON"), garbage.getMessage());
    }
}

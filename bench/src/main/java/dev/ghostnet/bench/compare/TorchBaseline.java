package dev.ghostnet.bench.compare;

import dev.ghostnet.bench.stats.Stats;
import dev.ghostnet.engine.io.NpyException;
import dev.ghostnet.engine.io.JsonParser;
import dev.ghostnet.engine.io.Npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch (TorchScript, frozen, optimised for inference) through {@code bench_torch.py} in its own
 * process: it cannot take turns with the JVM engines iteration by iteration, so it runs once per row,
 * after that row's interleaved rounds, with as many timed iterations as each JVM engine got.
 */
final class TorchBaseline {
    static final String NAME = "pytorch";

    /** What bench_torch.py reports, per image; startup and memory are its own process's. */
    record Result(Stats perImageMs, double firstLogitsMs, double peakRssMb, String version, float[] logits) {}

    private TorchBaseline() {}

    static Result run(PythonTools python, Path checkpoint, Path input, Row row, int iters, int warmup, Path logitsOut)
            throws BenchException {
        List<String> command = new ArrayList<>(python.script("bench_torch.py"));
        command.addAll(List.of("--weights", checkpoint.toString(), "--threads", Integer.toString(row.threads()),
                "--iters", Integer.toString(iters), "--warmup", Integer.toString(warmup), "--json",
                "--input", input.toString(), "--logits-out", logitsOut.toString()));
        String out = Processes.run(command);
        try {
            return parse(out.strip(), Npy.read(logitsOut).data());
        } catch (NpyException e) {
            throw new BenchException("bench_torch.py wrote unreadable logits: " + e.getMessage(), e);
        }
    }

    /** Reads bench_torch.py's --json line (the last line: torch may print warnings before it). */
    static Result parse(String jsonOutput, float[] logits) throws BenchException {
        String line = jsonOutput.substring(jsonOutput.lastIndexOf('\n') + 1);
        try {
            Map<?, ?> json = (Map<?, ?>) JsonParser.parse(line);
            Map<?, ?> perImage = (Map<?, ?>) json.get("ms_per_image");
            Map<?, ?> first = (Map<?, ?>) json.get("first_logits_ms");
            int iters = number(json, "iters").intValue();
            Stats stats = new Stats(number(perImage, "median").doubleValue(), number(perImage, "p10").doubleValue(),
                    number(perImage, "p90").doubleValue(),
                    number(perImage, "min").doubleValue(), iters);
            return new Result(stats, number(first, "from_process_start").doubleValue(),
                    number(json, "peak_rss_mb").doubleValue(), String.valueOf(json.get("torch_version")), logits);
        } catch (JsonParser.JsonException | ClassCastException e) {
            throw new BenchException("bench_torch.py printed no usable JSON (" + e.getMessage() + "): " + abbreviate(line));
        }
    }

    private static Number number(Map<?, ?> map, String key) throws BenchException {
        if (map != null && map.get(key) instanceof Number n) return n;
        throw new BenchException("bench_torch.py's JSON has no number '" + key + "'");
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}

package dev.ghostnet.bench;

import dev.ghostnet.engine.model.GhostNetConfig;
import dev.ghostnet.bench.compare.Comparison;
import dev.ghostnet.bench.compare.Row;
import dev.ghostnet.bench.profile.LayerProfiler;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest {
    private static BenchMain parse(String... args) {
        CommandLine cli = BenchMain.commandLine();
        cli.parseArgs(args);
        return cli.getCommand();
    }

    /** Runs the command line with its stderr captured; returns the exit code and that output. */
    private record Outcome(int code, String err) {}

    private static Outcome execute(String... args) {
        CommandLine cli = BenchMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Outcome(cli.execute(args), err.toString());
    }

    @Test
    void compareDefaults() {
        Comparison.Options o = parse("--compare").compareOptions();
        assertEquals(new Comparison.Options(GhostNetConfig.Version.V1, 1.0, 224, 5, 20, BenchMain.DEFAULT_WARMUP, Row.DEFAULT, null, true, true), o);
    }

    @Test
    void compareOptions() {
        Comparison.Options o = parse("--compare", "--json", "--rounds", "3", "--iters", "7", "--warmup", "0",
                "--v2", "--width-mult", "0.5", "--size", "96", "--rows", "2x4", "--no-torch", "--no-startup").compareOptions();
        assertEquals(new Comparison.Options(GhostNetConfig.Version.V2, 0.5, 96, 3, 7, 0, java.util.List.of(new Row(2, 4)), null, false, false), o);
    }

    @Test
    void profileOptions() {
        assertEquals(new LayerProfiler.Options(GhostNetConfig.Version.V1, 1.0, 224, 1, 1, 50, BenchMain.DEFAULT_WARMUP), parse("--profile").profileOptions());
        assertEquals(new LayerProfiler.Options(GhostNetConfig.Version.V2, 1.3, 160, 4, 2, 9, 3),
                parse("--profile", "--threads", "2", "--batch", "4", "--iters", "9", "--warmup", "3",
                        "--size", "160", "--width-mult", "1.3", "--v2").profileOptions());
    }

    @Test
    void exactlyOneModeIsUsage() {
        Outcome none = execute();
        assertEquals(BenchMain.EXIT_USAGE, none.code());
        assertTrue(none.err().startsWith("ghostnet bench: "), none.err());
        assertEquals(BenchMain.EXIT_USAGE, execute("--compare", "--profile").code());
    }

    @Test
    void badValuesAreUsageWithOneLine() {
        for (String[] args : new String[][] {
                {"--compare", "--rows", "2x"}, {"--compare", "--iters", "0"}, {"--compare", "--rounds", "-1"},
                {"--compare", "--warmup", "-1"}, {"--profile", "--threads", "0"}, {"--profile", "--size", "8"},
                {"--profile", "--width-mult", "0"}, {"--compare", "--iters", "many"}, {"--compare", "--bogus"}}) {
            Outcome o = execute(args);
            assertEquals(BenchMain.EXIT_USAGE, o.code(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.err().startsWith("ghostnet bench: "), o.err());
        }
        assertEquals("ghostnet bench: --rows: row '2x' is not THREADSxBATCH, e.g. 2x8",
                execute("--compare", "--rows", "2x").err().strip());
    }

    @Test
    void helpIsNotAnError() {
        assertEquals(0, execute("--help").code());
    }

    @Test
    void usageExceptionCarriesItsMessage() {
        BenchMain m = parse("--compare", "--size", "5000");
        BenchMain.UsageException e = assertThrows(BenchMain.UsageException.class, m::compareOptions);
        assertEquals("--size must be in [32, 1024], got 5000", e.getMessage());
    }
}

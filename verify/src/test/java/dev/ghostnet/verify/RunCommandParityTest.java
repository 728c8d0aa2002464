package dev.ghostnet.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.cli.GhostNetCli;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;
import dev.ghostnet.engine.model.GhostNetConfig;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ghostnet run --weights <checkpoint>} (the command line, in process) gives PyTorch's logits for a
 * GhostNet v2 checkpoint torch wrote: every checkpoint format, an odd input size and a batch of 3, within the
 * parity tolerance of the reference's own fp32 error against fp64.
 */
class RunCommandParityTest {
    private static final TestGoldens.Case CASE = new TestGoldens.Case(GhostNetConfig.Version.V2, 1.6, 3, 193, 255);

    @Test
    void runGivesPyTorchsLogitsForV2Checkpoints(@TempDir Path tmp) throws Exception {
        GoldenSet goldens = TestGoldens.setOf(CASE);
        GoldenCase c = TestGoldens.caseOf(CASE);
        GoldenCase.Golden logits = c.stage("logits");
        for (String format : GoldenSet.CHECKPOINTS.keySet()) {
            Path output = tmp.resolve(format + "-logits.npy");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = GhostNetCli.execute(new PrintWriter(out), new PrintWriter(err), "run",
                    "--weights", goldens.checkpoint(format).toString(),
                    "--input", c.dir().resolve("input.npy").toString(), "--output", output.toString());
            assertEquals(0, code, format + ": exit " + code + "\n" + out + err);
            NpyArray y = Npy.read(output);
            assertArrayEquals(logits.shape(), y.shape(), format);
            StageParity p = StageParity.compare("logits", logits.shape(), y.data(), logits.fp32(), logits.fp64(),
                    Tolerance.DEFAULT);
            assertTrue(p.passed(), format + ": " + p);
        }
    }
}

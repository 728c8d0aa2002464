package dev.ghostnet.verify;

import dev.ghostnet.engine.io.NpyException;
import dev.ghostnet.engine.io.Npy;
import dev.ghostnet.engine.io.NpyArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One input case of a goldens directory ({@code b<B>_<H>x<W>/}): the float32 NCHW input and, per stage,
 * PyTorch's float32 and float64 outputs, as make_goldens.py writes them.
 */
public record GoldenCase(Path dir, int batch, int height, int width) {
    private static final Pattern NAME = Pattern.compile("b(\\d+)_(\\d+)x(\\d+)");
    private static final String FP64 = ".fp64.npy";

    /** PyTorch's outputs of one stage, NCHW (or (N, C)). */
    public record Golden(long[] shape, float[] fp32, double[] fp64) {}

    /** The case stored in {@code dir}, its batch and size read from the directory's name. */
    public static GoldenCase at(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(dir + ": not a goldens case directory (b<B>_<H>x<W>)");
        return new GoldenCase(dir, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    public static String name(int batch, int height, int width) {
        return "b" + batch + "_" + height + "x" + width;
    }

    public String name() {
        return name(batch, height, width);
    }

    public float[] input() throws NpyException {
        NpyArray x = Npy.read(dir.resolve("input.npy"));
        long[] expected = {batch, 3, height, width};
        if (!Arrays.equals(x.shape(), expected)) {
            throw new NpyException(dir.resolve("input.npy") + ": shape " + Arrays.toString(x.shape())
                    + ", expected " + Arrays.toString(expected));
        }
        return x.data();
    }

    /** Names of the stages PyTorch wrote for this case (unordered). */
    public List<String> stageNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(FP64))
                    .map(n -> n.substring(0, n.length() - FP64.length())).sorted().toList();
        }
    }

    public Golden stage(String stage) throws NpyException {
        NpyArray fp32 = Npy.read(dir.resolve(stage + ".fp32.npy"));
        Npy.Float64Array fp64 = Npy.readFloat64(dir.resolve(stage + FP64));
        if (!Arrays.equals(fp32.shape(), fp64.shape())) {
            throw new NpyException(dir + ": " + stage + " fp32 shape " + Arrays.toString(fp32.shape())
                    + " differs from fp64 " + Arrays.toString(fp64.shape()));
        }
        return new Golden(fp64.shape(), fp32.data(), fp64.data());
    }
}

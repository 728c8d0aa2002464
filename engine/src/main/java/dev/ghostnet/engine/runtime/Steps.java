package dev.ghostnet.engine.runtime;

import dev.ghostnet.kernels.DenseConv;
import dev.ghostnet.kernels.DepthwiseConv;
import dev.ghostnet.kernels.Kernels;
import dev.ghostnet.kernels.Linear;
import dev.ghostnet.kernels.PointwiseConv;
import dev.ghostnet.kernels.SqueezeExcite;
import dev.ghostnet.kernels.Tensor;
import dev.ghostnet.kernels.WindowDepthwiseConv;

/**
 * The step kinds of a plan, one per {@link dev.ghostnet.engine.model.Op} kind; each splits its work by the unit
 * its kernel takes. {@code parameters} are the layer's, from the model description.
 */
final class Steps {
    private Steps() {}

    /**
     * A 1x1 conv split by pixels; {@code residual} may be null or alias {@code out}. The kernel writes {@code store}:
     * {@code out}, or {@code out} widened to {@link PointwiseConv#paddedOutChannels} where the plan allows it.
     */
    record Pointwise(String name, PointwiseConv op, Tensor in, Tensor out, Tensor store, Tensor residual,
                     long parameters) implements RowStep {
        public String description() {
            return "pointwise " + op.inChannels() + "->" + op.outChannels() + " @" + out.height() + "x" + out.width()
                    + (residual != null ? " +residual" : "");
        }

        public long macsPerImage() {
            return (long) out.height() * out.width() * op.inChannels() * op.outChannels();
        }


        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            long perImage = (long) out.height() * out.width();
            long from = imageFrom * perImage;
            long to = imageTo * perImage;
            op.run(in, store, residual, alignedStart(from, to, part, parts), alignedStart(from, to, part + 1, parts));
        }

        public int outputRows() {
            return out.height();
        }

        public int inputRowsEnd(int rowEnd) {
            return rowEnd;
        }

        /** Rows whose first pixel is a multiple of {@link #TILE_ALIGNMENT} pixels into the image. */
        public int rowAlignment() {
            return TILE_ALIGNMENT / gcd(TILE_ALIGNMENT, out.width());
        }

        public void runRows(int rowFrom, int rowTo) {
            op.run(in, store, residual, (long) rowFrom * out.width(), (long) rowTo * out.width());
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }

        /**
         * Pieces start at multiples of 8 pixels from {@code from}: the kernel's multi-pixel tiles then cover
         * every piece but the last, whose remainder pixels go one at a time (slower, and at a tensor's end
         * through the Vector API's allocating masked path).
         */
        private static long alignedStart(long from, long to, int part, int parts) {
            if (part == parts) {
                return to;
            }
            return from + (Step.pieceStart(from, to, part, parts) - from) / TILE_ALIGNMENT * TILE_ALIGNMENT;
        }

        /** The pixels of the kernel's widest tile. */
        private static final int TILE_ALIGNMENT = 8;
    }

    /**
     * A depthwise conv split by output rows; {@code residual} may be null. With {@code shortcutOut} (else null) it
     * also writes the identity shortcut over its input, {@code shortcutOut = in + shortcutResidual}, or a copy of
     * its input when {@code shortcutResidual} is null ({@link ShortcutFolding}).
     */
    record Depthwise(String name, DepthwiseConv op, Tensor in, Tensor out, Tensor residual, Tensor shortcutOut,
                     Tensor shortcutResidual, long parameters) implements RowStep {
        public String description() {
            return "depthwise " + op.kernelSize() + "x" + op.kernelSize() + "/" + op.stride() + " " + op.channels()
                    + " @" + out.height() + "x" + out.width() + (residual != null ? " +residual" : "")
                    + (shortcutOut == null ? "" : shortcutResidual == null ? " +copy" : " +shortcut");
        }

        public long macsPerImage() {
            return (long) out.height() * out.width() * op.channels() * op.kernelSize() * op.kernelSize();
        }


        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            runRows((int) Step.unitStart(imageFrom, imageTo, out.height(), part, parts),
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part + 1, parts));
        }

        public int outputRows() {
            return out.height();
        }

        public int inputRowsEnd(int rowEnd) {
            return RowStep.windowRowsEnd(rowEnd, in, out, op.kernelSize(), op.stride());
        }

        public void runRows(int rowFrom, int rowTo) {
            if (shortcutOut == null) {
                op.run(in, out, residual, rowFrom, rowTo);
            } else {
                op.runWithShortcut(in, out, residual, shortcutOut, shortcutResidual, rowFrom, rowTo);
            }
        }
    }

    /** The stem's dense conv split by output rows. */
    record Dense(String name, DenseConv op, Tensor in, Tensor out, long parameters) implements RowStep {
        public String description() {
            return "conv " + op.kernelSize() + "x" + op.kernelSize() + "/" + op.stride() + " " + op.inChannels() + "->"
                    + op.outChannels() + " @" + out.height() + "x" + out.width();
        }

        public long macsPerImage() {
            return (long) out.height() * out.width() * op.outChannels() * op.inChannels() * op.kernelSize()
                    * op.kernelSize();
        }


        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            op.run(in, out,
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part, parts),
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part + 1, parts));
        }

        public int outputRows() {
            return out.height();
        }

        public int inputRowsEnd(int rowEnd) {
            return RowStep.windowRowsEnd(rowEnd, in, out, op.kernelSize(), op.stride());
        }

        public void runRows(int rowFrom, int rowTo) {
            op.run(in, out, rowFrom, rowTo);
        }
    }

    /** Element-wise {@code out = a + b} split by pixels. */
    record Add(String name, Kernels kernels, Tensor a, Tensor b, Tensor out) implements Step {
        public String description() {
            return "add " + out.channels() + " @" + out.height() + "x" + out.width();
        }

        public long macsPerImage() {
            return 0;
        }

        /** No multiply-adds, but a sum per element, each costing about what a multiply-add does here. */
        public boolean worthSplitting(int images) {
            return (long) out.height() * out.width() * out.channels() * images >= PARALLEL_MIN_MACS;
        }

        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            long perImage = (long) out.height() * out.width();
            kernels.add(a, b, out, Step.unitStart(imageFrom, imageTo, perImage, part, parts),
                    Step.unitStart(imageFrom, imageTo, perImage, part + 1, parts));
        }
    }

    /** Squeeze-excite in place, split by images; each image has its own scratch, so pieces never share one. */
    record SqueezeExciteStep(String name, SqueezeExcite op, Tensor x, float[][] scratchPerImage, long parameters)
            implements Step {
        public String description() {
            return "squeeze-excite " + op.channels() + "->" + op.reducedChannels() + " @" + x.height() + "x" + x.width();
        }

        public boolean splitsByImage() {
            return true;
        }

        public long macsPerImage() {
            return 2L * op.channels() * op.reducedChannels() + 2L * x.height() * x.width() * op.channels();
        }

        /** The two 1x1 convs on the pooled vector; pooling and the per-channel scaling are not counted. */
        public long weightMacsPerImage() {
            return 2L * op.channels() * op.reducedChannels();
        }


        public Tensor output() {
            return x;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            int from = (int) Step.pieceStart(imageFrom, imageTo, part, parts);
            int to = (int) Step.pieceStart(imageFrom, imageTo, part + 1, parts);
            for (int n = from; n < to; n++) {
                op.run(x, n, n + 1, scratchPerImage[n]);
            }
        }
    }

    /**
     * One half of a squeeze-excite whose image is split over threads (a batch smaller than the thread count).
     * The squeeze half: every piece pools the image itself (into its own scratch) and computes its range of the
     * hidden units, in whole kernel blocks, into the image's shared {@code hidden}. The excite half, the next
     * step, so after the dispatch boundary: every piece gates and scales its range of channels, reading all
     * of {@code hidden}. Always split: the FCs' weights stream from memory, so halving them per thread pays
     * even where the multiply-adds are few. The squeeze half carries the layer's parameters.
     */
    record SplitSqueezeExcite(String name, SqueezeExcite op, Tensor x, boolean squeezeHalf, float[][] scratchPerPart,
                              float[][] hiddenPerImage, long parameters) implements Step {
        public String description() {
            return "squeeze-excite " + op.channels() + "->" + op.reducedChannels() + " @" + x.height() + "x" + x.width()
                    + (squeezeHalf ? " squeeze" : " excite");
        }

        public long macsPerImage() {
            return (long) op.channels() * op.reducedChannels() + (long) x.height() * x.width() * op.channels();
        }

        public long weightMacsPerImage() {
            return (long) op.channels() * op.reducedChannels();
        }

        public boolean worthSplitting(int images) {
            return true;
        }

        public Tensor output() {
            return x;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            int count = squeezeHalf ? op.reducedChannels() : op.channels();
            int from = blockStart(count, op.splitAlignment(), part, parts);
            int to = blockStart(count, op.splitAlignment(), part + 1, parts);
            for (int n = imageFrom; n < imageTo; n++) {
                if (squeezeHalf) {
                    op.squeeze(x, n, scratchPerPart[part], hiddenPerImage[n], from, to);
                } else {
                    op.excite(x, n, hiddenPerImage[n], scratchPerPart[part], from, to);
                }
            }
        }
    }

    /** Start of piece {@code part} of {@code [0, count)} split in whole blocks of {@code alignment}. */
    private static int blockStart(int count, int alignment, int part, int parts) {
        int blocks = (count + alignment - 1) / alignment;
        return Math.min(count, (int) Step.pieceStart(0, blocks, part, parts) * alignment);
    }

    /** Global average pool, split by images. */
    record GlobalPool(String name, Kernels kernels, Tensor in, Tensor out) implements Step {
        public String description() {
            return "global average pool " + in.channels() + " @" + in.height() + "x" + in.width();
        }

        public boolean splitsByImage() {
            return true;
        }

        public long macsPerImage() {
            return (long) in.height() * in.width() * in.channels();
        }

        public long weightMacsPerImage() {
            return 0;
        }

        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            int from = (int) Step.pieceStart(imageFrom, imageTo, part, parts);
            int to = (int) Step.pieceStart(imageFrom, imageTo, part + 1, parts);
            if (from < to) {
                kernels.globalAveragePool(in, out, from, to);
            }
        }
    }

    /** A fully connected layer, split by images. */
    record FullyConnected(String name, Linear op, Tensor in, Tensor out, long parameters) implements Step {
        public String description() {
            return "linear " + op.inFeatures() + "->" + op.outFeatures();
        }

        public long macsPerImage() {
            return (long) op.inFeatures() * op.outFeatures();
        }


        public Tensor output() {
            return out;
        }

        /**
         * Whole images per piece when there are at least as many images as pieces; otherwise (batch 1 on two
         * threads) every piece takes a range of output features, in whole blocks of the kernel, of all images.
         */
        public void run(int imageFrom, int imageTo, int part, int parts) {
            if (imageTo - imageFrom >= parts) {
                int from = (int) Step.pieceStart(imageFrom, imageTo, part, parts);
                int to = (int) Step.pieceStart(imageFrom, imageTo, part + 1, parts);
                if (from < to) {
                    op.run(in, out, from, to);
                }
                return;
            }
            int from = blockStart(op.outFeatures(), op.featureAlignment(), part, parts);
            int to = blockStart(op.outFeatures(), op.featureAlignment(), part + 1, parts);
            if (from < to) {
                op.run(in, out, imageFrom, imageTo, from, to);
            }
        }
    }

    // GhostNet v2's DFC attention.

    /** A depthwise conv with a rectangular window (v2's 1x5 and 5x1), split by output rows; residual may be null. */
    record WindowDepthwise(String name, WindowDepthwiseConv op, Tensor in, Tensor out, Tensor residual,
                           long parameters) implements Step {
        public String description() {
            return "depthwise " + op.kernelHeight() + "x" + op.kernelWidth() + "/" + op.stride() + " pad ("
                    + op.padHeight() + ", " + op.padWidth() + ") " + op.channels() + " @" + out.height() + "x"
                    + out.width() + (residual != null ? " +residual" : "");
        }

        public long macsPerImage() {
            return (long) out.height() * out.width() * op.channels() * op.kernelHeight() * op.kernelWidth();
        }

        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            op.run(in, out, residual,
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part, parts),
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part + 1, parts));
        }
    }

    /** Average pooling without padding, split by output rows. */
    record AveragePool(String name, Kernels kernels, int kernel, int stride, Tensor in, Tensor out) implements Step {
        public String description() {
            return "average pool " + kernel + "x" + kernel + "/" + stride + " " + out.channels() + " @" + out.height()
                    + "x" + out.width();
        }

        public long macsPerImage() {
            return (long) out.height() * out.width() * out.channels() * kernel * kernel;
        }

        public long weightMacsPerImage() {
            return 0;
        }

        public Tensor output() {
            return out;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            kernels.averagePool(in, out, kernel, stride,
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part, parts),
                    (int) Step.unitStart(imageFrom, imageTo, out.height(), part + 1, parts));
        }
    }

    /** In place {@code x *= sigmoid(gate)} with the gate upsampled nearest to x's size, split by rows of x. */
    record SigmoidGate(String name, Kernels kernels, Tensor gate, Tensor x) implements Step {
        public String description() {
            return "sigmoid gate " + x.channels() + " @" + gate.height() + "x" + gate.width() + " -> " + x.height()
                    + "x" + x.width();
        }

        public long macsPerImage() {
            return (long) x.height() * x.width() * x.channels();
        }

        public long weightMacsPerImage() {
            return 0;
        }

        public Tensor output() {
            return x;
        }

        public void run(int imageFrom, int imageTo, int part, int parts) {
            kernels.sigmoidGateNearest(gate, x,
                    (int) Step.unitStart(imageFrom, imageTo, x.height(), part, parts),
                    (int) Step.unitStart(imageFrom, imageTo, x.height(), part + 1, parts));
        }
    }
}

package dev.ghostnet.engine.image;

import dev.ghostnet.kernels.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Turns a decoded image into network input exactly as torchvision's evaluation transform does on a PIL
 * image: {@code Resize(shorter)} with PIL's antialiased resampling, {@code CenterCrop(crop)},
 * {@code ToTensor()} and {@code Normalize(mean, std)}.
 *
 * <p>When the resized image is smaller than the crop (only possible when {@code crop > resizeShorter}),
 * it is padded with black (0 before normalisation) like torchvision's {@code center_crop}: the left/top
 * padding is {@code (crop - size) / 2} rounded down, the rest goes right/bottom.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Preprocessor {
    private final PreprocessConfig config;
    /** normalised[c][v]: channel c's network input for the 8-bit value v, computed in float like torch. */
    private final float[][] normalised = new float[3][256];

    public Preprocessor(PreprocessConfig config) {
        this.config = config;
        float[] mean = config.mean();
        float[] std = config.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                // ToTensor divides the uint8 tensor by 255 in float32, Normalize subtracts then divides in
                // float32: the same operations in the same order give the same bits.
                normalised[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    public PreprocessConfig config() {
        return config;
    }

    /** Side of the square output: the crop size. */
    public int outputSize() {
        return config.crop();
    }

    /**
     * The size torchvision's {@code Resize(shorter)} gives a {@code width x height} image, as
     * {@code {width, height}}: the shorter side becomes {@code shorter}, the longer one
     * {@code int(shorter * long / short)} (truncated, computed in double like Python's true division).
     */
    public static int[] resizedSize(int width, int height, int shorter) {
        boolean portrait = width <= height;
        int shortSide = portrait ? width : height;
        int longSide = portrait ? height : width;
        int newLong = (int) ((double) ((long) shorter * longSide) / shortSide);
        return portrait ? new int[] {shorter, newLong} : new int[] {newLong, shorter};
    }

    /** The 8-bit image after Resize and CenterCrop: what torchvision hands to ToTensor. */
    public RgbImage resizeAndCrop(RgbImage image) {
        int[] size = resizedSize(image.width(), image.height(), config.resizeShorter());
        int crop = config.crop();
        Span xs = Span.of(size[0], crop);
        Span ys = Span.of(size[1], crop);
        RgbImage window = PillowResampler.resizeWindow(image, size[0], size[1], config.interpolation(),
                xs.sourceStart, ys.sourceStart, xs.length, ys.length);
        if (xs.length == crop && ys.length == crop) {
            return window;
        }
        byte[] padded = new byte[crop * crop * 3];
        for (int y = 0; y < ys.length; y++) {
            System.arraycopy(window.rgb(), y * xs.length * 3, padded, ((y + ys.padding) * crop + xs.padding) * 3,
                    xs.length * 3);
        }
        return new RgbImage(crop, crop, padded);
    }

    /** The preprocessed image as a new dense CHW array (one NCHW image): 3 x crop x crop floats. */
    public float[] toNchw(RgbImage image) {
        float[] out = new float[3 * config.crop() * config.crop()];
        toNchw(image, out, 0);
        return out;
    }

    /** Writes the preprocessed image as CHW into {@code destination} from {@code offset}. */
    public void toNchw(RgbImage image, float[] destination, int offset) {
        int plane = config.crop() * config.crop();
        checkRoom(destination, offset, 3 * plane);
        byte[] rgb = resizeAndCrop(image).rgb();
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                destination[offset + c * plane + p] = normalised[c][rgb[p * 3 + c] & 0xFF];
            }
        }
    }

    /** The preprocessed image as a new dense HWC array (one NHWC image): crop x crop x 3 floats. */
    public float[] toNhwc(RgbImage image) {
        float[] out = new float[3 * config.crop() * config.crop()];
        toNhwc(image, out, 0);
        return out;
    }

    /** Writes the preprocessed image as HWC into {@code destination} from {@code offset}. */
    public void toNhwc(RgbImage image, float[] destination, int offset) {
        int values = 3 * config.crop() * config.crop();
        checkRoom(destination, offset, values);
        byte[] rgb = resizeAndCrop(image).rgb();
        for (int i = 0; i < values; i++) {
            destination[offset + i] = normalised[i % 3][rgb[i] & 0xFF];
        }
    }

    /**
     * Writes the preprocessed image into slot {@code imageIndex} of an NHWC tensor of shape
     * (N, crop, crop, 3); the tensor may have a channel stride wider than 3.
     */
    public void toTensor(RgbImage image, Tensor tensor, int imageIndex) {
        int crop = config.crop();
        if (tensor.height() != crop || tensor.width() != crop || tensor.channels() != 3) {
            throw new IllegalArgumentException("tensor " + tensor + " does not hold " + crop + "x" + crop
                    + " RGB images (expected H=" + crop + ", W=" + crop + ", C=3)");
        }
        if (imageIndex < 0 || imageIndex >= tensor.batch()) {
            throw new IndexOutOfBoundsException("image index " + imageIndex + " is outside the batch of "
                    + tensor.batch());
        }
        // Straight from the cropped bytes into the tensor: no float array in between.
        byte[] rgb = resizeAndCrop(image).rgb();
        MemorySegment segment = tensor.segment();
        for (int y = 0, i = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                long at = tensor.byteOffset(imageIndex, y, x, 0);
                for (int c = 0; c < 3; c++, i++) {
                    segment.set(ValueLayout.JAVA_FLOAT, at + 4L * c, normalised[c][rgb[i] & 0xFF]);
                }
            }
        }
    }

    private static void checkRoom(float[] destination, int offset, int values) {
        if (offset < 0 || offset > destination.length - values) {
            throw new IndexOutOfBoundsException("destination of " + destination.length + " floats has no room for "
                    + values + " values at offset " + offset);
        }
    }

    /**
     * One axis of the crop: which resized pixels it keeps ({@code sourceStart}, {@code length}) and where
     * they land in the output ({@code padding} zeros before them).
     */
    private record Span(int sourceStart, int length, int padding) {
        static Span of(int resized, int crop) {
            if (crop > resized) {
                return new Span(0, resized, (crop - resized) / 2);
            }
            // torchvision: int(round((size - crop) / 2.0)); Python's round() is half-to-even, as is rint.
            return new Span((int) Math.rint((resized - crop) / 2.0), crop, 0);
        }
    }
}

package dev.ghostnet;

/**
 * A backbone output for detection necks, copied out of the session: the last bottleneck at {@code stride}
 * 8, 16 or 32 relative to the input (40, 112 and 160 channels at width 1.0), for every image of the call.
 *
 * @param stride   8, 16 or 32
 * @param stage    the layer it comes from, e.g. {@code blocks.4.0}
 * @param images   how many images it holds
 * @param height   rows per image
 * @param width    columns per image
 * @param channels channels
 * @param layout   the order of {@code values}: the layout of the input it was computed from
 * @param values   {@code images * height * width * channels} floats in {@code layout} order (not copied)
 */
public record FeatureMap(int stride, String stage, int images, int height, int width, int channels, Layout layout,
                         float[] values) {}

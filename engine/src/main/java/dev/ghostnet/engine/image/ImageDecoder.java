package dev.ghostnet.engine.image;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Decodes PNG and JPEG files into 8-bit RGB the way Python users get them from
 * {@code PIL.Image.open(path).convert("RGB")}, so that preprocessing starts from the same pixels.
 *
 * <p>What PIL does, and so what this does:
 * <ul>
 *   <li>grayscale is replicated into R, G and B; palette images are looked up in their palette;</li>
 *   <li>alpha (an alpha channel or a tRNS chunk) is dropped, not composited over any background;</li>
 *   <li>16-bit RGB(A) and gray+alpha PNGs keep the high byte of each sample; 16-bit grayscale PNGs are
 *       opened by PIL as 32-bit integers whose conversion to RGB <em>clamps</em> to 255 rather than
 *       scaling, so their samples become {@code min(value, 255)} (mostly white): a PIL quirk matched
 *       here on purpose, because the model sees the same in Python;</li>
 *   <li>EXIF orientation is not applied, and colour profiles (PNG iCCP and gAMA, JPEG ICC) are ignored:
 *       PIL's {@code open()} does neither, so the raw samples are read here, never colour-converted ones
 *       (ImageIO would otherwise convert ICC-tagged JPEGs to sRGB, so their profiles are stripped).</li>
 * </ul>
 * CMYK and YCCK JPEGs are converted with PIL's own formula ({@link CmykConversion}), not colour-managed.
 * Arithmetic-coded, lossless and hierarchical JPEGs are refused with a message saying so.
 *
 * <p>Before any pixel is decoded, the header's dimensions are checked against a pixel limit, so a
 * small file declaring a huge image (a decompression bomb) costs no memory.
 *
 * <p>Instances are immutable and thread-safe; each call uses its own ImageIO reader.
 */
public final class ImageDecoder {
    /** The default pixel limit: 100 megapixels, about 300 MB of RGB. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Signature (8) + IHDR length and type (8) + width, height (8) + bit depth, colour type (2). */
    private static final int PNG_HEADER_BYTES = 26;
    private static final int PNG_COLOR_GRAY = 0;
    /** The IEND chunk every complete PNG ends with: length 0, type, CRC. */
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final byte[] JPEG_END = {(byte) 0xFF, (byte) 0xD9};

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoder that rejects images of more than {@code maxPixels} pixels. */
    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("pixel limit must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Decodes {@code file} (PNG or JPEG, recognised by content, not by name) into RGB. */
    public RgbImage decode(Path file) throws ImageException {
        if (!Files.exists(file)) {
            throw new ImageException("image file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new ImageException("not an image file but a directory: " + file);
        }
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new ImageException("cannot read image file " + file + ": " + e, e);
        }
        return decode(data, file.toString());
    }

    /**
     * Decodes an encoded PNG or JPEG held in memory (recognised by content) into RGB; {@code name} stands
     * for the file in messages (e.g. {@code "image bytes"}). The array is not modified.
     */
    public RgbImage decode(byte[] data, String name) throws ImageException {
        byte[] head = Arrays.copyOf(data, Math.min(data.length, PNG_HEADER_BYTES));
        Format format = Format.detect(name, head);
        JpegHeader jpegHeader = format == Format.JPEG ? JpegHeader.read(data) : null;
        if (jpegHeader != null && jpegHeader.unsupportedReason() != null) {
            throw new ImageException("unsupported image " + name + ": " + jpegHeader.unsupportedReason());
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName(format.imageIoName).next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream input = open(data, format)) {
            reader.setInput(input, true);
            checkDimensions(name, data, reader, format);
            boolean fourComponents = jpegHeader != null && jpegHeader.components() == 4;
            Raster cmyk = fourComponents ? readRaster(name, data, reader) : null;
            BufferedImage image = fourComponents ? null : readPixels(name, data, reader, format);
            for (String warning : warnings) {
                // libjpeg reports a file cut short as a warning and fills the rest with grey; PIL refuses it.
                if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                    throw new ImageException("truncated image file " + name + ": " + warning);
                }
            }
            if (cmyk != null) {
                return CmykConversion.toRgb(cmyk, jpegHeader.adobeTransform() == 2);
            }
            boolean clampSixteenBitGray = format == Format.PNG && (head[25] & 0xFF) == PNG_COLOR_GRAY;
            return toRgb(name, image, clampSixteenBitGray);
        } catch (IOException e) {
            throw new ImageException("cannot read image file " + name + ": " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * The RGB samples of an image decoded elsewhere (by the caller's ImageIO, say), taken as they are,
     * as {@link #decode} takes them: grayscale replicated, palettes looked up, alpha dropped, 16-bit
     * samples reduced to their high byte. CMYK images are refused; {@code name} stands for the image in
     * messages.
     */
    public RgbImage fromBufferedImage(BufferedImage image, String name) throws ImageException {
        long pixels = (long) image.getWidth() * image.getHeight();
        if (pixels > maxPixels) {
            throw new ImageException("image " + name + " is " + image.getWidth() + "x" + image.getHeight() + " = "
                    + pixels + " pixels, more than the limit of " + maxPixels);
        }
        return toRgb(name, image, false);
    }

    /** JPEGs lose their ICC profiles first (see {@link JpegProfileStripper}). */
    private static ImageInputStream open(byte[] data, Format format) {
        return new ByteArrayImageInput(format == Format.JPEG ? JpegProfileStripper.strip(data) : data);
    }

    /** The raw samples of a four-component (CMYK or YCCK) JPEG, before any colour conversion. */
    private static Raster readRaster(String file, byte[] data, ImageReader reader) throws ImageException {
        try {
            return reader.readRaster(0, null);
        } catch (IOException | RuntimeException e) {
            throw decodingFailure(file, data, Format.JPEG, e);
        }
    }

    private void checkDimensions(String file, byte[] data, ImageReader reader, Format format) throws ImageException {
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            if (!format.hasEndMarker(data)) {
                throw decodingFailure(file, data, format, e);
            }
            throw new ImageException("unreadable image header in " + file + ": " + describe(e), e);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageException("image " + file + " is " + width + "x" + height + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels + " (refused before decoding: possible"
                    + " decompression bomb)");
        }
    }

    private static BufferedImage readPixels(String file, byte[] data, ImageReader reader, Format format)
            throws ImageException {
        try {
            return reader.read(0);
        } catch (IIOException e) {
            // Older JDKs cannot decode CMYK/YCCK JPEGs at all and say so this way.
            if (format == Format.JPEG && String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new ImageException("unsupported colour space in " + file + ": CMYK (or YCCK) images are not"
                        + " supported; convert the image to RGB first", e);
            }
            throw decodingFailure(file, data, format, e);
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders signal some corrupt streams with unchecked exceptions.
            throw decodingFailure(file, data, format, e);
        }
    }

    /**
     * ImageIO's messages for a file cut short vary with where the cut falls ("Invalid chunk length",
     * EOF, inflater errors), so a file lacking its format's end marker is reported as truncated, a PNG
     * with the chunk the cut falls in.
     */
    private static ImageException decodingFailure(String file, byte[] data, Format format, Exception e) {
        if (!format.hasEndMarker(data)) {
            String where = format == Format.PNG ? PngChunks.truncation(data) : null;
            return new ImageException("truncated image file " + file + ": " + (where != null ? where
                    : "it does not end with the " + format + " end marker (" + describe(e) + ")"), e);
        }
        if (causedBy(e, EOFException.class)) {
            return new ImageException("truncated image file " + file + ": " + describe(e), e);
        }
        if (causedBy(e, ZipException.class)) {
            return new ImageException("corrupt image data in " + file + ": " + describe(e), e);
        }
        return new ImageException("cannot decode image file " + file + ": " + describe(e), e);
    }

    private static RgbImage toRgb(String file, BufferedImage image, boolean clampSixteenBitGray) throws ImageException {
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        int colours = model instanceof IndexColorModel ? 1 : model.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            throw new ImageException("unsupported colour model in " + file + ": " + colours + " colour components"
                    + " (only grayscale, palette and RGB images are supported)");
        }
        // Palette indices are looked up, not scaled, whatever their depth.
        SampleTo8Bit to8 = model instanceof IndexColorModel ? v -> v
                : to8Bit(file, bits, colours == 1 && clampSixteenBitGray);
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        int[] row = new int[width * bands];
        for (int y = 0, o = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++, o += 3) {
                int p = x * bands;
                if (model instanceof IndexColorModel palette) {
                    rgb[o] = (byte) palette.getRed(row[p]);
                    rgb[o + 1] = (byte) palette.getGreen(row[p]);
                    rgb[o + 2] = (byte) palette.getBlue(row[p]);
                } else if (colours == 1) {
                    byte v = (byte) to8.apply(row[p]);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    rgb[o] = (byte) to8.apply(row[p]);
                    rgb[o + 1] = (byte) to8.apply(row[p + 1]);
                    rgb[o + 2] = (byte) to8.apply(row[p + 2]);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    @FunctionalInterface
    private interface SampleTo8Bit {
        int apply(int sample);
    }

    private static SampleTo8Bit to8Bit(String file, int bits, boolean clampSixteenBitGray) throws ImageException {
        return switch (bits) {
            case 8 -> v -> v;
            case 16 -> clampSixteenBitGray ? v -> Math.min(v, 255) : v -> v >>> 8;
            // ImageIO gives sub-byte grayscale an IndexColorModel, so other depths mean an unexpected layout.
            default -> throw new ImageException("unsupported sample depth in " + file + ": " + bits + " bits");
        };
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The messages of an exception and its causes in plain words: Java's class names mean nothing to
     * someone whose photo failed to load, so a cause without a message is named by what it means.
     */
    private static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage()
                    : t instanceof EOFException ? "unexpected end of file"
                    : t instanceof ZipException ? "corrupt compressed data"
                    : null;
            if (text != null && !parts.contains(text)) {
                if (t instanceof ZipException && t.getMessage() != null) {
                    text = "corrupt compressed data: " + text;
                }
                parts.add(text);
            }
        }
        return parts.isEmpty() ? "unreadable data" : String.join(": ", parts);
    }

    /** The formats accepted, recognised by their signatures. */
    private enum Format {
        PNG("png"),
        JPEG("jpeg");

        final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }

        /** Whether the data ends as a complete PNG (IEND chunk) or JPEG (EOI marker) does. */
        boolean hasEndMarker(byte[] data) {
            byte[] end = this == PNG ? PNG_END : JPEG_END;
            return data.length >= end.length
                    && Arrays.equals(data, data.length - end.length, data.length, end, 0, end.length);
        }

        static Format detect(String file, byte[] head) throws ImageException {
            if (head.length == 0) {
                throw new ImageException("empty image file (0 bytes): " + file);
            }
            if (startsWith(head, PNG_SIGNATURE)) {
                if (head.length < PNG_HEADER_BYTES) {
                    throw new ImageException("truncated PNG file " + file + ": only " + head.length
                            + " bytes, the header alone needs " + PNG_HEADER_BYTES);
                }
                return PNG;
            }
            if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
                return JPEG;
            }
            throw new ImageException("unsupported or unknown image format in " + file + knownFormat(head)
                    + ": only PNG and JPEG are supported");
        }

        private static String knownFormat(byte[] head) {
            String ascii = new String(head, StandardCharsets.ISO_8859_1);
            if (ascii.startsWith("GIF8")) {
                return " (it is a GIF)";
            }
            if (ascii.startsWith("BM")) {
                return " (it looks like a BMP)";
            }
            if (ascii.startsWith("RIFF") && ascii.length() >= 12 && ascii.startsWith("WEBP", 8)) {
                return " (it is a WebP)";
            }
            if (ascii.startsWith("II*\0") || ascii.startsWith("MM\0*")) {
                return " (it is a TIFF)";
            }
            return "";
        }

        private static boolean startsWith(byte[] data, byte[] prefix) {
            if (data.length < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (data[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}

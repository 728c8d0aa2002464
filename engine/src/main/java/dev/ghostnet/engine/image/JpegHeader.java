package dev.ghostnet.engine.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the decoder needs to know about a JPEG before decoding it, read from the markers before the first
 * scan: the frame type (SOFn: baseline, progressive, lossless, arithmetic-coded ...), the number of
 * components and the Adobe APP14 colour transform (0: RGB or CMYK stored as is, 1: YCbCr, 2: YCCK).
 *
 * @param frameMarker    the SOFn marker byte (0xC0 to 0xCF except 0xC4, 0xC8, 0xCC), or -1 if none was found
 * @param components     components in the frame, 0 if no frame header was found
 * @param adobeTransform the Adobe marker's transform flag, or -1 without an Adobe marker
 */
record JpegHeader(int frameMarker, int components, int adobeTransform) {
    private static final int APP14 = 0xEE;
    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.US_ASCII);

    /** Walks the segments after SOI up to the first scan; an unwalkable header gives what was found so far. */
    static JpegHeader read(byte[] jpeg) {
        int[] found = {-1, 0, -1}; // frame marker, components, Adobe transform
        JpegSegments.walk(jpeg, (marker, i, end) -> {
            if (isFrame(marker) && found[0] < 0 && i + 9 < end) {
                found[0] = marker;
                found[1] = jpeg[i + 9] & 0xFF;
            } else if (marker == APP14 && end - (i + 4) >= 12
                    && Arrays.equals(jpeg, i + 4, i + 4 + ADOBE_ID.length, ADOBE_ID, 0, ADOBE_ID.length)) {
                found[2] = jpeg[i + 15] & 0xFF;
            }
        });
        return new JpegHeader(found[0], found[1], found[2]);
    }

    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Arithmetic-coded frames: SOF9-SOF11 and SOF13-SOF15. */
    boolean isArithmetic() {
        return frameMarker >= 0xC9 && frameMarker <= 0xCF && frameMarker != 0xCC;
    }

    /**
     * Why the JDK's decoder (libjpeg 6b with Huffman decoding only) cannot read this frame, or null if it
     * can: baseline (SOF0), extended (SOF1) and progressive (SOF2) Huffman frames are decoded.
     */
    String unsupportedReason() {
        if (frameMarker < 0 || frameMarker <= 0xC2) {
            return null;
        }
        String kind = isArithmetic() ? "arithmetic-coded" : switch (frameMarker) {
            case 0xC3 -> "lossless";
            case 0xC5, 0xC6, 0xC7 -> "hierarchical";
            default -> "SOF" + (frameMarker - 0xC0);
        };
        String hint = isArithmetic() ? "; re-save it with Huffman coding, e.g. `jpegtran in.jpg > out.jpg`" : "";
        return kind + " JPEG (SOF" + (frameMarker - 0xC0) + ") is not supported, only baseline and progressive"
                + " Huffman-coded JPEGs" + hint;
    }
}

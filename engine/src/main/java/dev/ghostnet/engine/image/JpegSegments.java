package dev.ghostnet.engine.image;

/**
 * Walks a JPEG's marker segments from after SOI up to the first scan (SOS) or EOI, skipping fill bytes
 * and the markers without a length. Stops quietly where the header cannot be walked (a missing marker,
 * a length past the end): the decoder then reports the problem.
 */
final class JpegSegments {
    private static final int START_OF_SCAN = 0xDA;
    private static final int END_OF_IMAGE = 0xD9;

    /** Called with the marker byte, the offset of its 0xFF and the offset just after the segment. */
    @FunctionalInterface
    interface Visitor {
        void segment(int marker, int start, int end);
    }

    private JpegSegments() {
    }

    static void walk(byte[] jpeg, Visitor visitor) {
        int i = 2; // after SOI
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == START_OF_SCAN || marker == END_OF_IMAGE) {
                return;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
                i += 2;
                continue;
            }
            int end = i + 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
            if (end > jpeg.length) {
                return;
            }
            visitor.segment(marker, i, end);
            i = end;
        }
    }
}

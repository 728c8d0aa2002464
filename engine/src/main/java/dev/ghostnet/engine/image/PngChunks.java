package dev.ghostnet.engine.image;

import java.nio.charset.StandardCharsets;

/**
 * Where a PNG that lacks its IEND chunk was cut: walks the chunk headers (length, type, data, CRC) from
 * the signature on.
 */
final class PngChunks {
    private static final int SIGNATURE = 8;

    private PngChunks() {
    }

    /** A sentence saying which chunk the data ends in, or null if the chunks cannot be walked. */
    static String truncation(byte[] data) {
        long size = data.length;
        long at = SIGNATURE;
        boolean sawPixels = false;
        while (at + 8 <= size) {
            int i = (int) at;
            long length = ((data[i] & 0xFFL) << 24) | ((data[i + 1] & 0xFF) << 16) | ((data[i + 2] & 0xFF) << 8)
                    | (data[i + 3] & 0xFF);
            String type = new String(data, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(Character::isLetter)) {
                return null;
            }
            long end = at + 12 + length;
            if (end > size) {
                return type.equals("IDAT")
                        ? "the file is cut inside its pixel data (IDAT chunk at byte " + at + " declares " + length
                                + " bytes, " + Math.max(0, size - at - 8) + " are present)"
                        : "the file is cut inside its " + type + " chunk at byte " + at;
            }
            sawPixels |= type.equals("IDAT");
            at = end;
        }
        return sawPixels ? "the file ends after " + size + " bytes, inside or after its pixel data, without an IEND chunk"
                : "the file ends after " + size + " bytes, before any pixel data";
    }
}

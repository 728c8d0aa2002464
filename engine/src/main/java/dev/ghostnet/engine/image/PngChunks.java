package dev.ghostnet.engine.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where a PNG that lacks its IEND chunk was cut: walks the chunk headers (length, type, data, CRC) from
 * the signature on, reading only the 8-byte headers.
 */
final class PngChunks {
    private static final int SIGNATURE = 8;

    private PngChunks() {
    }

    /** A sentence saying which chunk the file ends in, or null if the chunks cannot be walked. */
    static String truncation(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            long at = SIGNATURE;
            boolean sawPixels = false;
            byte[] header = new byte[8];
            while (at + 8 <= size) {
                in.seek(at);
                in.readFully(header);
                long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
                        | (header[3] & 0xFF);
                String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
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
        } catch (IOException e) {
            return null;
        }
    }
}

package dev.ghostnet.engine.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class JpegProfileStripperTest {
    /** SOI, an APP0 (kept), the given extra segments, then SOS with data that looks like markers. */
    private static byte[] jpeg(byte[]... segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(segment(0xE0, "JFIF\0".getBytes(StandardCharsets.US_ASCII)));
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        out.writeBytes(segment(0xDA, new byte[] {1, 2, 3}));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, 0, 4, 'x', 'y', (byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    private static byte[] segment(int marker, byte[] payload) {
        byte[] s = new byte[4 + payload.length];
        s[0] = (byte) 0xFF;
        s[1] = (byte) marker;
        s[2] = (byte) ((payload.length + 2) >> 8);
        s[3] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, s, 4, payload.length);
        return s;
    }

    private static byte[] icc(int chunk) {
        byte[] payload = Arrays.copyOf("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), 20);
        payload[12] = (byte) chunk;
        return segment(0xE2, payload);
    }

    @Test
    void removesEveryIccChunkAndNothingElse() {
        byte[] otherApp2 = segment(0xE2, "MPF\0data".getBytes(StandardCharsets.US_ASCII));
        byte[] withProfile = jpeg(icc(1), otherApp2, icc(2));
        assertArrayEquals(jpeg(otherApp2), JpegProfileStripper.strip(withProfile));
    }

    @Test
    void returnsTheSameArrayWithoutAProfile() {
        byte[] plain = jpeg();
        assertSame(plain, JpegProfileStripper.strip(plain));
        byte[] broken = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, 0x7F};
        assertSame(broken, JpegProfileStripper.strip(broken));
    }
}

package dev.ghostnet.engine.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes embedded ICC profiles (APP2 "ICC_PROFILE" segments) from a JPEG's header.
 *
 * <p>Why: ImageIO colour-manages a JPEG that carries a profile (Display P3 from phones, Adobe RGB from
 * cameras), converting its pixels to sRGB, and for some profiles refuses the file; PIL ignores the
 * profile and hands the model libjpeg's raw RGB. Without the profile ImageIO also returns libjpeg's raw
 * RGB, so stripping it is how the decoder matches PIL. The entropy-coded data is not touched.
 */
final class JpegProfileStripper {
    private static final int APP2 = 0xE2;
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private JpegProfileStripper() {
    }

    /**
     * The JPEG without its ICC profile segments; {@code jpeg} itself when it has none or when its header
     * cannot be walked (then the decoder reports the problem).
     */
    static byte[] strip(byte[] jpeg) {
        // Allocated on the first profile segment only: most JPEGs have none and are returned as they are.
        ByteArrayOutputStream[] out = {null};
        int[] copiedUpTo = {0};
        JpegSegments.walk(jpeg, (marker, i, end) -> {
            if (marker == APP2 && isIccProfile(jpeg, i + 4, end)) {
                if (out[0] == null) {
                    out[0] = new ByteArrayOutputStream(jpeg.length);
                }
                out[0].write(jpeg, copiedUpTo[0], i - copiedUpTo[0]);
                copiedUpTo[0] = end;
            }
        });
        if (out[0] == null) {
            return jpeg;
        }
        out[0].write(jpeg, copiedUpTo[0], jpeg.length - copiedUpTo[0]);
        return out[0].toByteArray();
    }

    private static boolean isIccProfile(byte[] jpeg, int from, int end) {
        return end - from >= ICC_ID.length && Arrays.equals(jpeg, from, from + ICC_ID.length, ICC_ID, 0, ICC_ID.length);
    }
}

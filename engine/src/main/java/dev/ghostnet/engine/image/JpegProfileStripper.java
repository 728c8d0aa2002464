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
    private static final int START_OF_SCAN = 0xDA;
    private static final int END_OF_IMAGE = 0xD9;
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private JpegProfileStripper() {
    }

    /**
     * The JPEG without its ICC profile segments; {@code jpeg} itself when it has none or when its header
     * cannot be walked (then the decoder reports the problem).
     */
    static byte[] strip(byte[] jpeg) {
        ByteArrayOutputStream out = null;
        int copiedUpTo = 0;
        int i = 2; // after SOI
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == START_OF_SCAN || marker == END_OF_IMAGE) {
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
                i += 2;
                continue;
            }
            int end = i + 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
            if (end > jpeg.length) {
                break;
            }
            if (marker == APP2 && isIccProfile(jpeg, i + 4, end)) {
                if (out == null) {
                    out = new ByteArrayOutputStream(jpeg.length);
                }
                out.write(jpeg, copiedUpTo, i - copiedUpTo);
                copiedUpTo = end;
            }
            i = end;
        }
        if (out == null) {
            return jpeg;
        }
        out.write(jpeg, copiedUpTo, jpeg.length - copiedUpTo);
        return out.toByteArray();
    }

    private static boolean isIccProfile(byte[] jpeg, int from, int end) {
        return end - from >= ICC_ID.length && Arrays.equals(jpeg, from, from + ICC_ID.length, ICC_ID, 0, ICC_ID.length);
    }
}

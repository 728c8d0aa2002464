package dev.ghostnet.engine.image;

/**
 * An image file that cannot be used: missing, unreadable, of an unsupported format, truncated or too
 * large. The message always names the file and the problem, because it is shown to users as is.
 */
public class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}

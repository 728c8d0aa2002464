package dev.ghostnet;

/**
 * An image cannot be classified: missing or unreadable file, not PNG or JPEG, truncated, corrupt,
 * CMYK, or larger than the pixel limit (100 megapixels, checked before decoding).
 */
public final class ImageReadException extends GhostNetException {
    private static final long serialVersionUID = 1L;

    /**
     * An image failure with its message and cause.
     *
     * @param message what is wrong, naming the image
     * @param cause   the underlying failure, or null
     */
    public ImageReadException(String message, Throwable cause) {
        super(message, cause);
    }
}

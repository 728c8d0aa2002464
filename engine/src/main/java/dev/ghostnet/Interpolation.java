package dev.ghostnet;

/** The resize filter of the preprocessing, as PIL (and so torchvision) defines it. */
public enum Interpolation {
    /** Triangle filter: torchvision's default for {@code Resize}. */
    BILINEAR(dev.ghostnet.engine.image.Interpolation.BILINEAR),
    /** Keys' cubic filter (a = -0.5): timm's evaluation setting for GhostNet. */
    BICUBIC(dev.ghostnet.engine.image.Interpolation.BICUBIC);

    private final dev.ghostnet.engine.image.Interpolation filter;

    Interpolation(dev.ghostnet.engine.image.Interpolation filter) {
        this.filter = filter;
    }

    dev.ghostnet.engine.image.Interpolation filter() {
        return filter;
    }

    static Interpolation of(dev.ghostnet.engine.image.Interpolation filter) {
        for (Interpolation i : values()) {
            if (i.filter == filter) {
                return i;
            }
        }
        throw new IllegalArgumentException("no public interpolation for " + filter);
    }
}

package dev.ghostnet.engine.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 1000 ImageNet-1k class names, in class-index order, bundled as the resource
 * {@value #RESOURCE}.
 *
 * <p>Source: torchvision's own list, {@code torchvision.models._meta._IMAGENET_CATEGORIES} (Debian's
 * python3-torchvision 0.14.1, /usr/lib/python3/dist-packages/torchvision/models/_meta.py), written one
 * name per line. It is the list torchvision's pretrained weights report as {@code meta["categories"]},
 * with its duplicate names disambiguated ("crane bird" at 134 and "crane" at 517, "maillot" at 638 and
 * "maillot tank suit" at 639), so index i here is the model's output i.
 */
public final class ImageNetLabels {
    /** Class-path location of the list. */
    public static final String RESOURCE = "/dev/ghostnet/engine/imagenet_classes.txt";
    /** ImageNet-1k has 1000 classes; a list of any other length is a packaging error. */
    public static final int CLASS_COUNT = 1000;

    private static volatile List<String> loaded;

    private ImageNetLabels() {
    }

    /** The name of class {@code index}, 0 to 999. */
    public static String get(int index) {
        List<String> labels = labels();
        if (index < 0 || index >= labels.size()) {
            throw new IndexOutOfBoundsException("ImageNet class index " + index + " is outside 0.." + (labels.size() - 1));
        }
        return labels.get(index);
    }

    /** The number of classes: 1000. */
    public static int size() {
        return labels().size();
    }

    /** All names, index order, unmodifiable. */
    public static List<String> all() {
        return labels();
    }

    /** Parses a label list, one name per line; {@code source} names it in error messages. */
    static List<String> parse(InputStream in, String source) {
        if (in == null) {
            throw new IllegalStateException("ImageNet class list " + source + " is missing from the class path");
        }
        List<String> labels = new ArrayList<>(CLASS_COUNT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    throw new IllegalStateException("ImageNet class list " + source + " has a blank line at line "
                            + (labels.size() + 1));
                }
                labels.add(line.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ImageNet class list " + source, e);
        }
        if (labels.size() != CLASS_COUNT) {
            throw new IllegalStateException("ImageNet class list " + source + " has " + labels.size()
                    + " names, expected " + CLASS_COUNT);
        }
        return List.copyOf(labels);
    }

    /**
     * Loads the list on first use. Not a holder class: a failed class initialisation would surface as an
     * ExceptionInInitializerError once and NoClassDefFoundError after, hiding the message.
     */
    private static List<String> labels() {
        List<String> labels = loaded;
        if (labels == null) {
            synchronized (ImageNetLabels.class) {
                if (loaded == null) {
                    loaded = parse(ImageNetLabels.class.getResourceAsStream(RESOURCE), RESOURCE);
                }
                labels = loaded;
            }
        }
        return labels;
    }
}

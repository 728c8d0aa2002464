package dev.ghostnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image files named on the command line: files as given (their content decides the format), directories
 * expanded to their .png, .jpg and .jpeg files in path order, subdirectories only when recursive.
 *
 * @param files  the files to classify, in command-line order
 * @param errors one line per argument that gave nothing (missing, unreadable, or a directory without images)
 */
record ImageInputs(List<Path> files, List<String> errors) {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    static ImageInputs expand(List<Path> arguments, boolean recursive) {
        List<Path> files = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path argument : arguments) {
            if (!Files.exists(argument)) {
                errors.add(argument + ": no such file or directory");
            } else if (!Files.isDirectory(argument)) {
                files.add(argument);
            } else {
                try {
                    List<Path> found = imagesIn(argument, recursive);
                    if (found.isEmpty()) {
                        errors.add(argument + ": no .png, .jpg or .jpeg files in this directory"
                                + (recursive ? " or below" : " (--recursive looks in subdirectories)"));
                    }
                    files.addAll(found);
                } catch (IOException | UncheckedIOException e) {
                    errors.add(argument + ": cannot list directory: " + e.getMessage());
                }
            }
        }
        return new ImageInputs(List.copyOf(files), List.copyOf(errors));
    }

    private static List<Path> imagesIn(Path directory, boolean recursive) throws IOException {
        try (Stream<Path> entries = recursive ? Files.walk(directory) : Files.list(directory)) {
            return entries.filter(Files::isRegularFile).filter(ImageInputs::hasImageExtension).sorted().toList();
        }
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}

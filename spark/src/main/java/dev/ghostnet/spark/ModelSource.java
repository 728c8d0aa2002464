package dev.ghostnet.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the weights and the config.json come from, made into local files for {@code GhostNet.load}: a local
 * path (no scheme, or {@code file:}) is used in place; {@code http:}, {@code https:} and {@code ftp:} URLs
 * are read through {@code java.net}; every other scheme ({@code hdfs:}, {@code s3a:}, {@code abfs:},
 * {@code gs:} ...) through Hadoop's {@link FileSystem} with the job's Hadoop configuration. Remote files are
 * copied once into a temporary directory of the JVM, deleted when it exits.
 */
final class ModelSource {
    private static final Set<String> URL_SCHEMES = Set.of("http", "https", "ftp");

    private ModelSource() {}

    /**
     * Fails on the driver when a local or Hadoop location does not exist, so that the job stops at once with
     * the reason instead of in every task; URLs are not probed.
     *
     * @throws IllegalArgumentException naming the parameter and the location
     */
    static void checkExists(String param, String location, Configuration hadoop) {
        String scheme = scheme(location);
        boolean exists;
        if (scheme == null || scheme.equals("file")) {
            exists = Files.isRegularFile(localPath(location));
        } else if (URL_SCHEMES.contains(scheme)) {
            return;
        } else {
            try {
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
                exists = path.getFileSystem(hadoop).isFile(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("GhostNetClassifier: " + param + " " + location + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
        if (!exists) {
            throw new IllegalArgumentException("GhostNetClassifier: " + param + " " + location + " is not a file");
        }
    }

    /** The file at the location, local: the file itself, or a copy of the remote one. */
    static Path localFile(String location, Configuration hadoop) throws IOException {
        return open(location, hadoop).orElseThrow(() -> new FileNotFoundException(location + ": no such file"));
    }

    /** The config.json beside remote weights, copied, if there is one (local weights find theirs themselves). */
    static Optional<Path> configBeside(String weights, Configuration hadoop) throws IOException {
        String scheme = scheme(weights);
        if (scheme == null || scheme.equals("file")) {
            return Optional.empty();
        }
        return open(URI.create(weights).resolve("config.json").toString(), hadoop);
    }

    private static Optional<Path> open(String location, Configuration hadoop) throws IOException {
        String scheme = scheme(location);
        if (scheme == null || scheme.equals("file")) {
            Path file = localPath(location);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        if (URL_SCHEMES.contains(scheme)) {
            try (InputStream in = URI.create(location).toURL().openStream()) {
                return Optional.of(copy(in, location));
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.isFile(path)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(path)) {
            return Optional.of(copy(in, location));
        }
    }

    /** Copies into a fresh directory under the file's own name (GhostNet recognises checkpoints by content). */
    private static Path copy(InputStream in, String location) throws IOException {
        Path dir = Files.createTempDirectory("ghostnet-spark-");
        String name = location.substring(location.lastIndexOf('/') + 1);
        Path file = dir.resolve(name.isEmpty() ? "model" : name);
        dir.toFile().deleteOnExit();
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static Path localPath(String location) {
        try {
            return "file".equals(scheme(location)) ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GhostNetClassifier: " + location + " is not a local path or file: URI ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The scheme in lower case, or null for a plain path (a one-letter "scheme" is a Windows drive). */
    private static String scheme(String location) {
        int colon = location.indexOf(':');
        if (colon <= 1) {
            return null;
        }
        String scheme = location.substring(0, colon);
        return scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
                ? scheme.toLowerCase(Locale.ROOT) : null;
    }
}

package dev.ghostnet.spark;

import org.apache.hadoop.fs.RawLocalFileSystem;

import java.net.URI;

/**
 * The local disk under a scheme of its own, {@code testfs:}, so that tests read weights through Hadoop's
 * FileSystem as from {@code hdfs:} or {@code s3a:} without such a cluster.
 */
public final class TestFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "testfs";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}

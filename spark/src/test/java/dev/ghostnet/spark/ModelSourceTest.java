package dev.ghostnet.spark;

import com.sun.net.httpserver.HttpServer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights read through Hadoop's FileSystem (a scheme the driver's Hadoop configuration registers, as
 * {@code hdfs:} or {@code s3a:} would be) and over HTTP, with the config.json beside them or not.
 */
class ModelSourceTest {
    /** The labels of the first images, classified from the given weights. */
    private static List<String> firstLabels(String weights) throws Exception {
        Dataset<Row> files = GhostNetClassifierTest.files(FashionPngs.directory(GhostNetClassifierTest.IMAGES));
        return GhostNetClassifierTest.classifier().setWeights(weights).setTopK(1).transform(files)
                .orderBy("path").limit(5).collectAsList().stream()
                .map(r -> r.<scala.collection.Seq<String>>getAs("labels").head()).toList();
    }

    @Test
    void hadoopFileSystemWeightsFindTheirConfigBesideThem(@TempDir Path dir) throws Exception {
        LocalSpark.get().sparkContext().hadoopConfiguration().set("fs." + TestFileSystem.SCHEME + ".impl",
                TestFileSystem.class.getName());
        Path alone = Files.createDirectories(dir.resolve("alone"));
        Path withConfig = Files.createDirectories(dir.resolve("with-config"));
        Files.copy(FashionPngs.WEIGHTS, alone.resolve("model.safetensors"));
        Files.copy(FashionPngs.WEIGHTS, withConfig.resolve("model.safetensors"));
        Files.copy(FashionPngs.CONFIG, withConfig.resolve("config.json"));

        List<String> local = firstLabels(FashionPngs.WEIGHTS.toString());
        assertEquals(local, firstLabels(TestFileSystem.SCHEME + "://" + withConfig.resolve("model.safetensors")));
        List<String> unnamed = firstLabels(TestFileSystem.SCHEME + "://" + alone.resolve("model.safetensors"));
        assertTrue(unnamed.stream().allMatch(l -> l.startsWith("class ")), "no config.json, no names: " + unnamed);
        refusesMissing(TestFileSystem.SCHEME + "://" + alone.resolve("none.safetensors"));
    }

    @Test
    void httpWeightsAndConfigAreDownloadedOnce(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/", exchange -> {
            Path file = exchange.getRequestURI().getPath().endsWith("config.json") ? FashionPngs.CONFIG
                    : FashionPngs.WEIGHTS;
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/";
            assertEquals(firstLabels(FashionPngs.WEIGHTS.toString()), firstLabels(base + "model.safetensors"));
        } finally {
            server.stop(0);
        }
    }

    private static void refusesMissing(String weights) throws Exception {
        Dataset<Row> files = GhostNetClassifierTest.files(FashionPngs.directory(GhostNetClassifierTest.IMAGES));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new GhostNetClassifier().setWeights(weights).transform(files));
        assertTrue(e.getMessage().contains(weights + " is not a file"), e.getMessage());
    }
}

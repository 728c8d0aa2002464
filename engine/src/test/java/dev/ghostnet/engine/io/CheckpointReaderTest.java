package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.io.PythonFixtures.Expected;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every format torch (or our hand-written safetensors) produced loads to the same keys, shapes and bits. */
class CheckpointReaderTest {
    static Path dir;

    @BeforeAll
    static void writeFixtures() throws IOException {
        dir = PythonFixtures.dir();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip.pt", "legacy.pt", "wrapped.pt", "wrapped_legacy.pt", "zip_protocol4.pt", "legacy_protocol4.pt",
            "tensors.safetensors"})
    void loadsTheSeededStateDictBitForBit(String file) throws Exception {
        assertMatches(dir.resolve(file), PythonFixtures.manifest(dir.resolve("expected_main.tsv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"module.pt", "module_legacy.pt"})
    void loadsAModuleStateDictWithMetadata(String file) throws Exception {
        assertMatches(dir.resolve(file), PythonFixtures.manifest(dir.resolve("expected_module.tsv")));
    }

    @Test
    void overlappingAndPermutedViewsAreMaterialisedInRowMajorOrder() throws Exception {
        assertMatches(dir.resolve("views.pt"), PythonFixtures.manifest(dir.resolve("expected_views.tsv")));
    }

    @Test
    void legacyStorageViewsAddTheirOffset() throws Exception {
        assertMatches(dir.resolve("legacy_views.pt"), PythonFixtures.manifest(dir.resolve("expected_legacy_views.tsv")));
    }

    @Test
    void aBroadcastViewLargerThanItsStorageIsRejected() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(dir.resolve("broadcast.pt")));
        assertTrue(e.getMessage().contains("tensor 'broadcast' [1000, 3] strides [0, 1]")
                && e.getMessage().contains("has 3000 elements but only 3 remain"), e.getMessage());
    }

    @Test
    void denseTensorsAreSlicesOfTheMappedFile() throws Exception {
        try (StateDict sd = CheckpointReader.read(dir.resolve("zip.pt"))) {
            assertTrue(sd.tensor("conv_stem.weight").data().isMapped(), "contiguous storage should be mapped, not copied");
            assertTrue(!sd.tensor("classifier.weight").data().isMapped(), "a transposed view must be materialised");
        }
    }

    @Test
    void closingReleasesTheMapping() throws Exception {
        CheckpointTensor t;
        try (StateDict sd = CheckpointReader.read(dir.resolve("legacy.pt"))) {
            t = sd.tensor("bn1.weight");
            assertEquals(4, t.toFloatArray().length);
        }
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped.pt", "legacy.pt", "tensors.safetensors"})
    void floatingPointTensorsWidenToFloat32LikeTorch(String file) throws Exception {
        try (StateDict sd = CheckpointReader.read(dir.resolve(file))) {
            for (Expected e : PythonFixtures.manifest(dir.resolve("expected_widened.tsv"))) {
                float[] expected = new float[e.bytes().length / Float.BYTES];
                ByteBuffer.wrap(e.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
                assertArrayEquals(expected, sd.tensor(e.key()).toFloatArray(), file + " '" + e.key() + "' as float32");
            }
        }
    }

    @Test
    void integerTensorsAreNotWeights() throws Exception {
        try (StateDict sd = CheckpointReader.read(dir.resolve("wrapped.pt"))) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> sd.tensor("bn1.num_batches_tracked").toFloatArray());
            assertTrue(e.getMessage().contains("'bn1.num_batches_tracked' has dtype I64"), e.getMessage());
        }
    }

    @Test
    void aPickledModuleIsRejectedWithAHint() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointReader.read(dir.resolve("whole_model.pt")));
        assertTrue(e.getMessage().contains("whole_model.pt") && e.getMessage().contains("state_dict()"), e.getMessage());
    }

    @Test
    void npyIsNotACheckpoint() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(dir.resolve("f32.npy")));
        assertTrue(e.getMessage().contains("Npy.read"), e.getMessage());
    }

    static void assertMatches(Path file, List<Expected> expected) throws Exception {
        try (StateDict sd = CheckpointReader.read(file)) {
            assertEquals(expected.stream().map(Expected::key).toList(), new ArrayList<>(sd.keys()), file + ": keys in order");
            for (Expected e : expected) {
                CheckpointTensor t = sd.tensor(e.key());
                String what = file.getFileName() + " '" + e.key() + "'";
                assertEquals(e.dtype(), t.dtype().name(), what + " dtype");
                assertArrayEquals(e.shape(), t.shape(), what + " shape");
                assertArrayEquals(e.bytes(), t.data().toArray(ValueLayout.JAVA_BYTE), what + " bytes");
            }
        }
    }
}

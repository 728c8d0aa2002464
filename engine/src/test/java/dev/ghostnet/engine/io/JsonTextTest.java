package dev.ghostnet.engine.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTextTest {
    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of(true, "x"));
        m.put("n", null);
        m.put("nested", Map.of("k", 2L));
        assertEquals("{\"b\":1,\"a\":[true,\"x\"],\"n\":null,\"nested\":{\"k\":2}}", JsonText.write(m));
    }

    @Test
    void escapesStrings() {
        assertEquals("\"q\\\"b\\\\n\\nt\\tc\\u0001\"", JsonText.write("q\"b\\n\nt\tc\u0001"));
    }

    @Test
    void numbers() {
        assertEquals("[2,0.5,1.23457,1.5e-07,null,null]",
                JsonText.write(Arrays.asList(2.0, 0.5, 1.234567891, 1.5e-7, Double.NaN, Double.POSITIVE_INFINITY)));
        assertEquals("1e-07", JsonText.write(1e-7));
        assertEquals("[8670.01,0.7]", JsonText.write(List.of(8670.0149, 0.7)));
        assertEquals("8670", JsonText.write(8670.0000001));
        assertEquals("-1.5e+20", JsonText.write(-1.5e20));
    }

    @Test
    void refusesOtherObjects() {
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(new Object()));
    }
}

package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {
    @Test
    void parsesTheValuesAHeaderHolds() throws Exception {
        Object o = JsonParser.parse(" {\"b\": [1, -2, 3.5e1, 18446744073709551616], \"a\": {\"s\": \"x\\u00e9\\n\\\"\"},"
                + " \"t\": true, \"f\": false, \"n\": null}  ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", List.of(1L, -2L, new BigDecimal("3.5e1"), BigInteger.ONE.shiftLeft(64)));
        expected.put("a", Map.of("s", "xé\n\""));
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        assertEquals(expected, o);
        assertEquals(List.of("b", "a", "t", "f", "n"), List.copyOf(((Map<?, ?>) o).keySet()));
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "{'a':1}", "01", "1.", "-", "tru", "\"\t\"", "\"\\x\"",
                "{\"a\":1}x", "NaN", "[1e99999999999]", "1" + "0".repeat(200))) {
            assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(bad), bad);
        }
        JsonParser.JsonException e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse("{\"a\" 1}"));
        assertTrue(e.getMessage().contains("expected ':' at character 5"), e.getMessage());
        char[] deep = new char[100_000];
        Arrays.fill(deep, '[');
        assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(new String(deep)));
    }
}

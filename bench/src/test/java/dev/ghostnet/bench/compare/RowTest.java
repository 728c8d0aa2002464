package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowTest {
    @Test
    void parsesThreadsByBatch() {
        assertEquals(Row.DEFAULT, Row.parseList("1x1,2x1,2x8"));
        assertEquals(List.of(new Row(4, 16)), Row.parseList(" 4x16 "));
    }

    @Test
    void rejectsMalformedRows() {
        for (String bad : List.of("", "2", "2x", "x8", "2x8x1", "ax1", "1x1,", "0x1", "1x-1")) {
            assertThrows(IllegalArgumentException.class, () -> Row.parseList(bad), bad);
        }
    }

    @Test
    void printsAsItIsWritten() {
        assertEquals("2x8", new Row(2, 8).toString());
    }
}

package dev.ghostnet.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AbScheduleTest {
    @Test
    void enginesAlternateRoundByRound() {
        List<AbSchedule.Turn> turns = new AbSchedule(2, 3, 10).turns();
        List<String> order = new ArrayList<>();
        for (AbSchedule.Turn t : turns) {
            order.add(t.round() + ":" + "AB".charAt(t.engine()));
        }
        assertEquals(List.of("0:A", "0:B", "1:A", "1:B", "2:A", "2:B"), order);
        assertEquals(30, new AbSchedule(2, 3, 10).samplesPerEngine());
    }

    @Test
    void rejectsEmptySchedules() {
        assertThrows(IllegalArgumentException.class, () -> new AbSchedule(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AbSchedule(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new AbSchedule(2, 1, 0));
    }
}

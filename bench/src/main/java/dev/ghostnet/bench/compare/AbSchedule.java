package dev.ghostnet.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which the in-process engines take turns: round after round, each engine runs a block of
 * iterations, always in the same order (A B A B ...). Slow drift of the machine (other builds, clock
 * changes) then hits every engine alike instead of whichever happened to run last.
 */
record AbSchedule(int engines, int rounds, int itersPerTurn) {
    /** One block of iterations by one engine. */
    record Turn(int round, int engine) {}

    AbSchedule {
        if (engines <= 0) throw new IllegalArgumentException("no engines");
        if (rounds <= 0) throw new IllegalArgumentException("rounds must be positive, got " + rounds);
        if (itersPerTurn <= 0) throw new IllegalArgumentException("iterations must be positive, got " + itersPerTurn);
    }

    List<Turn> turns() {
        List<Turn> turns = new ArrayList<>(engines * rounds);
        for (int r = 0; r < rounds; r++) {
            for (int e = 0; e < engines; e++) {
                turns.add(new Turn(r, e));
            }
        }
        return turns;
    }

    /** Timed iterations each engine gets in total. */
    int samplesPerEngine() {
        return rounds * itersPerTurn;
    }
}

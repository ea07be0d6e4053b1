package io.github.qwenasr.align;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** docs/model.md 7.5 and the hand-made vectors of docs/model.md 10.7. */
class TimestampRepairTest {
    private static long[] repair(double... ms) {
        return TimestampRepair.repair(ms);
    }

    @Test
    void singleOutlierTakesItsLeftNeighbour() {
        assertArrayEquals(new long[] {80, 80, 160, 240}, repair(80, 4000, 160, 240));
    }

    @Test
    void dropTakesTheCloserNeighbourTiesLeft() {
        assertArrayEquals(new long[] {80, 160, 160, 400}, repair(80, 160, 0, 400));
    }

    @Test
    void leadingOutlierTakesTheRightValue() {
        assertArrayEquals(new long[] {80, 80, 160}, repair(500, 80, 160));
    }

    @Test
    void longRunIsInterpolatedAndTruncated() {
        assertArrayEquals(new long[] {80, 160, 240, 320, 440, 560, 680, 800, 880, 960, 1040},
                repair(80, 160, 240, 320, 0, 0, 0, 800, 880, 960, 1040));
    }

    @Test
    void leadingOutlierBeforeZerosUsesTheRightValue() {
        assertArrayEquals(new long[] {0, 0, 0, 0, 80, 160}, repair(400, 0, 0, 0, 80, 160));
    }

    @Test
    void equalLengthSubsequencesPreferTheOneEndingFirst() {
        assertArrayEquals(new long[] {0, 0, 4000, 4000, 4000, 4000}, repair(0, 0, 4000, 4000, 80, 80));
    }

    @Test
    void interpolationTruncatesTowardZero() {
        // 100 + (200-100)/4 * k: 125, 150, 175; then 0 + 10/4*k: 2.5 -> 2, 5, 7.5 -> 7
        // (both also checked against the official fix_timestamp)
        assertArrayEquals(new long[] {100, 125, 150, 175, 200, 300}, repair(100, 50, 40, 30, 200, 300));
        assertArrayEquals(new long[] {0, 2, 5, 7, 10, 20}, repair(0, 90, 80, 70, 10, 20));
    }

    @Test
    void trailingLongRunTakesTheLeftValue() {
        assertArrayEquals(new long[] {160, 240, 240, 240, 240}, repair(160, 240, 80, 0, 0));
    }

    @Test
    void monotonicInputIsUnchangedAndEmptyIsEmpty() {
        assertArrayEquals(new long[] {0, 0, 80, 80, 160}, repair(0, 0, 80, 80, 160));
        assertEquals(0, repair().length);
    }
}

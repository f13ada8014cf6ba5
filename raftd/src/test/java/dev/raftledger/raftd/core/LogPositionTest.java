package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Raft section 5.4.1: compare last terms first, lengths only when the last terms are equal. */
class LogPositionTest {

    @ParameterizedTest(name = "({0},{1}) vs ({2},{3}) -> {4}")
    @CsvSource({
            // same last term: the longer (or equal) log wins
            "5, 3,   5, 3,  true",
            "6, 3,   5, 3,  true",
            "4, 3,   5, 3,  false",
            // a higher last term wins whatever the lengths
            "0, 4,   5, 3,  true",
            "10, 2,  5, 3,  false",
            "-1, 0,  -1, 0, true",
            "0, 1,   -1, 0, true",
            "-1, 0,  0, 1,  false",
            "100, 7, 2, 8,  false"})
    void isAtLeastAsUpToDateAs(long index, long term, long otherIndex, long otherTerm, boolean expected) {
        assertEquals(expected, new LogPosition(index, term).isAtLeastAsUpToDateAs(new LogPosition(otherIndex, otherTerm)));
    }

    @Test
    void emptyLogIsIndexMinusOneTermZero() {
        assertEquals(new LogPosition(-1, 0), LogPosition.EMPTY);
    }

    @Test
    void theRelationIsTotalAndReflexive() {
        LogPosition[] all = {LogPosition.EMPTY, new LogPosition(0, 1), new LogPosition(3, 1), new LogPosition(2, 2),
                new LogPosition(9, 2), new LogPosition(0, 5)};
        for (LogPosition a : all) {
            assertEquals(true, a.isAtLeastAsUpToDateAs(a), a.toString());
            for (LogPosition b : all) {
                // any two logs are comparable: at least one is as up to date as the other
                assertEquals(true, a.isAtLeastAsUpToDateAs(b) || b.isAtLeastAsUpToDateAs(a), a + " vs " + b);
            }
        }
    }
}

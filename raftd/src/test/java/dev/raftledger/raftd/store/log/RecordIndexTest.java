package dev.raftledger.raftd.store.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The in-memory index: growth past its first arrays, truncation, bounds. */
class RecordIndexTest {

    @Test
    void growsAndTruncates() {
        RecordIndex index = new RecordIndex(100);
        assertTrue(index.isEmpty());
        assertEquals(99, index.lastIndex());
        for (int i = 0; i < 5000; i++) {
            index.add(i * 10, 1 + i / 1000);
        }
        assertEquals(5099, index.lastIndex());
        assertEquals(4999 * 10, index.offset(5099));
        assertEquals(5, index.term(5099));
        assertEquals(1, index.term(100));

        index.truncateFrom(2100);
        assertEquals(2099, index.lastIndex());
        assertFalse(index.contains(2100));
        assertThrows(IllegalArgumentException.class, () -> index.term(2100));
        index.add(7, 9);
        assertEquals(7, index.offset(2100));
        assertEquals(9, index.term(2100));

        index.truncateFrom(100);
        assertTrue(index.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> index.truncateFrom(99));
        assertThrows(IllegalArgumentException.class, () -> index.truncateFrom(101));
    }

    @Test
    void dropsAPrefixAndResets() {
        RecordIndex index = new RecordIndex(0);
        for (int i = 0; i < 5000; i++) {
            index.add(i * 10, 1 + i / 1000);
        }
        index.dropBefore(3000);
        assertEquals(3000, index.firstIndex());
        assertEquals(4999, index.lastIndex());
        assertFalse(index.contains(2999));
        assertEquals(3000 * 10, index.offset(3000));
        assertEquals(4, index.term(3000));
        for (int i = 0; i < 3000; i++) { // grows again past the shrunk arrays
            index.add(i, 6);
        }
        assertEquals(7999, index.lastIndex());
        assertEquals(5, index.term(4999));
        assertEquals(6, index.term(7999));
        assertThrows(IllegalArgumentException.class, () -> index.dropBefore(2999));
        assertThrows(IllegalArgumentException.class, () -> index.dropBefore(8001));
        index.dropBefore(8000);
        assertTrue(index.isEmpty());
        assertEquals(7999, index.lastIndex());

        index.reset(12);
        assertTrue(index.isEmpty());
        assertEquals(12, index.firstIndex());
        index.add(0, 2);
        assertEquals(12, index.lastIndex());
        assertEquals(2, index.term(12));
    }
}

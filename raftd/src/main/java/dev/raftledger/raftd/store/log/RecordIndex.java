package dev.raftledger.raftd.store.log;

import java.util.Arrays;

/**
 * Where each record is and its term, in two parallel primitive arrays (12 bytes a record, no
 * object per record: the log may hold millions). The segment of a record is not stored: segments
 * hold contiguous ranges, so it is found from the segments' first indices, and a record at
 * offset 0 is always the first of its segment.
 */
final class RecordIndex {

    private static final int INITIAL_CAPACITY = 1024;

    private long firstIndex;
    private int count;
    private int[] offsets = new int[INITIAL_CAPACITY];
    private long[] terms = new long[INITIAL_CAPACITY];

    RecordIndex(long firstIndex) {
        this.firstIndex = firstIndex;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** {@code firstIndex() - 1} when empty. */
    long lastIndex() {
        return firstIndex + count - 1;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean contains(long index) {
        return index >= firstIndex && index <= lastIndex();
    }

    /** Records the next index's file offset (within its segment) and term. */
    void add(int offset, long term) {
        if (count == offsets.length) {
            if (count == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the log holds too many records to index: " + count);
            }
            int grown = (int) Math.min(Integer.MAX_VALUE - 8L, count * 2L);
            offsets = Arrays.copyOf(offsets, grown);
            terms = Arrays.copyOf(terms, grown);
        }
        offsets[count] = offset;
        terms[count] = term;
        count++;
    }

    int offset(long index) {
        return offsets[slot(index)];
    }

    long term(long index) {
        return terms[slot(index)];
    }

    /** Forgets every record from {@code index} on ({@code index} may be {@code lastIndex() + 1}). */
    void truncateFrom(long index) {
        if (index < firstIndex || index > lastIndex() + 1) {
            throw new IllegalArgumentException("cannot truncate from " + index + outside());
        }
        count = (int) (index - firstIndex);
    }

    /**
     * Forgets every record before {@code newFirst} (compaction): {@code newFirst} becomes the
     * first index. The kept entries move to arrays sized for them, so the memory of the dropped
     * ones is freed. {@code newFirst} may be {@code lastIndex() + 1}, leaving the index empty.
     */
    void dropBefore(long newFirst) {
        if (newFirst < firstIndex || newFirst > lastIndex() + 1) {
            throw new IllegalArgumentException("cannot drop records before " + newFirst + outside());
        }
        int from = (int) (newFirst - firstIndex);
        int kept = count - from;
        int capacity = Math.max(INITIAL_CAPACITY, kept + kept / 2);
        offsets = Arrays.copyOfRange(offsets, from, from + capacity);
        terms = Arrays.copyOfRange(terms, from, from + capacity);
        count = kept;
        firstIndex = newFirst;
    }

    /** Forgets every record; the next one added has index {@code nextIndex}. */
    void reset(long nextIndex) {
        offsets = new int[INITIAL_CAPACITY];
        terms = new long[INITIAL_CAPACITY];
        count = 0;
        firstIndex = nextIndex;
    }

    private int slot(long index) {
        if (!contains(index)) {
            throw new IllegalArgumentException("no record " + index + outside());
        }
        return (int) (index - firstIndex);
    }

    private String outside() {
        return isEmpty()
                ? ": the log is empty (next index " + firstIndex + ")"
                : ": the log holds " + firstIndex + "-" + lastIndex();
    }
}

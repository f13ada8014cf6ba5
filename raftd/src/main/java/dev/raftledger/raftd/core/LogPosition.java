package dev.raftledger.raftd.core;

/**
 * The index and term of a log's last entry; 0-based as on the wire, so an empty log is
 * {@code (-1, 0)}.
 */
public record LogPosition(long index, long term) {

    public static final LogPosition EMPTY = new LogPosition(-1, 0);

    /**
     * Raft section 5.4.1: a log is at least as up-to-date as another if its last term is higher,
     * or the terms are equal and it is at least as long. A voter grants only to a candidate
     * whose log passes this test against its own.
     */
    public boolean isAtLeastAsUpToDateAs(LogPosition other) {
        return term != other.term ? term > other.term : index >= other.index;
    }
}

package dev.raftledger.common.wire;

/**
 * The follower's answer to an AppendEntry (the project's addition), sent to port 9000 of the
 * leader. On success {@code matchIndex} is the last index known to match the leader's log.
 * On refusal {@code rejectIndex} is the refused request's prev_log_index, and
 * ({@code conflictIndex}, {@code conflictTerm}) let the leader back up a whole term at once:
 * the follower's term at rejectIndex and the first index it holds of that term, or
 * (its last index + 1, 0) when its log is shorter than rejectIndex. {@code readSeq} echoes the
 * request's, so the leader knows which round of leadership confirmation this answers.
 * {@code incarnation} identifies the follower's process (0: unknown): a follower can lose
 * entries it acknowledged only across a restart, so only a new incarnation's refusal can say so.
 * {@code noSpace} is the follower's disk alarm (its data dir over its quota or its disk nearly
 * full), stamped by its driver on every reply while raised: the leader refuses new writes
 * while any member's alarm is fresh (docs/protocol.md, "A full disk"). On the wire only when set.
 * {@code featureLevel} is what the follower's release understands (0: not said, a release before
 * the field), stamped by its driver on every reply: the leader stamps time into ledger writes only
 * once every member has said it reads them (docs/protocol.md, "Feature levels"). On the wire only
 * when above 0.
 */
public record AppendReply(long term, boolean success, String from, String to, long matchIndex,
                          long rejectIndex, long conflictIndex, long conflictTerm, long readSeq,
                          long incarnation, boolean noSpace, long featureLevel) implements PeerMessage {

    /** Without a feature level (as the core makes them, and a release before the field sends them). */
    public AppendReply(long term, boolean success, String from, String to, long matchIndex, long rejectIndex,
                       long conflictIndex, long conflictTerm, long readSeq, long incarnation, boolean noSpace) {
        this(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, readSeq, incarnation,
                noSpace, 0);
    }

    /** A reply without a disk alarm (as the core makes them). */
    public AppendReply(long term, boolean success, String from, String to, long matchIndex, long rejectIndex,
                       long conflictIndex, long conflictTerm, long readSeq, long incarnation) {
        this(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, readSeq, incarnation, false);
    }

    public static final String REQUEST = "APPEND_REPLY";

    public static AppendReply accepted(long term, String from, String to, long matchIndex) {
        return new AppendReply(term, true, from, to, matchIndex, -1, -1, 0, 0, 0);
    }

    public static AppendReply refused(long term, String from, String to, long rejectIndex,
                                      long conflictIndex, long conflictTerm) {
        return new AppendReply(term, false, from, to, -1, rejectIndex, conflictIndex, conflictTerm, 0, 0);
    }

    /** This reply answering the confirmation round {@code seq}. */
    public AppendReply withReadSeq(long seq) {
        return new AppendReply(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, seq,
                incarnation, noSpace, featureLevel);
    }

    /** This reply from the follower process {@code id}. */
    public AppendReply withIncarnation(long id) {
        return new AppendReply(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, readSeq, id,
                noSpace, featureLevel);
    }

    /** This reply from a node whose disk alarm is raised. */
    public AppendReply withNoSpace() {
        return new AppendReply(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, readSeq,
                incarnation, true, featureLevel);
    }

    /** This reply from a node whose release understands what {@code level} names. */
    public AppendReply withFeatureLevel(long level) {
        return new AppendReply(term, success, from, to, matchIndex, rejectIndex, conflictIndex, conflictTerm, readSeq,
                incarnation, noSpace, level);
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return from; }
}

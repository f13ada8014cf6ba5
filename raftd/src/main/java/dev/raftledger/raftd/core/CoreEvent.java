package dev.raftledger.raftd.core;

/**
 * Things worth one log line each, reported by the core so that the driver can log them: the
 * core itself does no I/O. None is emitted per tick or per heartbeat.
 */
public sealed interface CoreEvent {

    /** Role or term changed: logged in the seed's words, "Node2 is in term 3 with state as follower". */
    record RoleChanged(long term, Role role) implements CoreEvent {}

    record ElectionStarted(long term, String reason) implements CoreEvent {}

    record VoteGranted(String candidate, long term) implements CoreEvent {}

    record VoteDenied(String candidate, long term, String reason) implements CoreEvent {}

    record LeaderElected(long term, int votes, int clusterSize) implements CoreEvent {}

    /** Too many refusals to win; the next try comes in {@code retryInMs}. */
    record ElectionLost(long term, int refusals, int clusterSize, long retryInMs) implements CoreEvent {}

    /**
     * The host of this follower's leader answered a port check: nothing listens on its port (its
     * process is gone). The election timer now fires in {@code electionInMs}, and this node
     * grants pre-votes at once; {@code silentMs} is how long the leader has been silent.
     */
    record LeaderUnreachable(String leader, long term, long silentMs, long electionInMs) implements CoreEvent {}

    /** A leader gave up leadership on its own (check-quorum). */
    record SteppedDown(long term, String reason) implements CoreEvent {}

    /**
     * The leader began handing leadership to {@code target}, which lacks {@code lagEntries}
     * entries (0: it is caught up and is told to start its election now).
     */
    record TransferStarted(String target, long term, long lagEntries) implements CoreEvent {}

    /** A transfer ended without the target taking over; this node leads on. */
    record TransferAborted(String target, long term, String reason) implements CoreEvent {}

    /** {@code peer} needs entry {@code next}, compacted away here (the log starts after {@code snapshotIndex}). */
    record SnapshotNeeded(String peer, long term, long next, long snapshotIndex) implements CoreEvent {}

    /** This follower adopted a snapshot from {@code leader}: its log now starts after {@code snapshot}. */
    record SnapshotInstalled(String leader, long term, LogPosition snapshot, boolean keptSuffix) implements CoreEvent {}

    /**
     * The configuration in force changed (thesis 4.1: on appending a configuration entry, or on
     * losing one to a truncation, or by a snapshot): {@code index} is the entry that set it,
     * {@code committed} whether that entry was already committed here.
     */
    record MembershipChanged(long term, long index, dev.raftledger.common.wire.ClusterConfig config,
                             boolean committed) implements CoreEvent {}

    /** A follower learned who leads (first heartbeat from a new leader). */
    record LeaderKnown(String leader, long term) implements CoreEvent {}

    /** Something that should be impossible if every node follows the protocol. */
    record ProtocolAnomaly(String description) implements CoreEvent {}
}

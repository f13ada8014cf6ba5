package dev.raftledger.common.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One chunk of the leader's latest snapshot, sent to port 9000 of a follower whose next entry
 * the leader no longer holds (Raft section 7; the project's addition). The snapshot stands for
 * every entry up to ({@code lastIncludedIndex}, {@code lastIncludedTerm}); {@code data} is the
 * bytes at {@code offset} of a payload of {@code totalSize} bytes whose CRC32C is {@code crc},
 * and {@code done} marks the last chunk. On the wire {@code data} is base64. {@code configuration}
 * is the cluster configuration in force at the snapshot's last entry ({@link ClusterConfig#toJson()},
 * the same in every chunk), or empty if the leader's snapshot has none: the follower needs it, since
 * the configuration entries the snapshot covers are gone from the leader's log.
 */
public record InstallSnapshot(long term, String leaderId, long lastIncludedIndex, long lastIncludedTerm,
                              long offset, long totalSize, long crc, boolean done, byte[] data, String configuration)
        implements PeerMessage {

    public static final String REQUEST = "INSTALL_SNAPSHOT";

    public InstallSnapshot {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(configuration, "configuration");
    }

    /** A chunk of a snapshot that holds no configuration. */
    public InstallSnapshot(long term, String leaderId, long lastIncludedIndex, long lastIncludedTerm, long offset,
                           long totalSize, long crc, boolean done, byte[] data) {
        this(term, leaderId, lastIncludedIndex, lastIncludedTerm, offset, totalSize, crc, done, data, "");
    }

    @Override public String request() { return REQUEST; }

    @Override public String sender() { return leaderId; }

    /** Where the snapshot ends: the log position it stands for. */
    public long nextOffset() {
        return offset + data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstallSnapshot s && term == s.term && leaderId.equals(s.leaderId)
                && lastIncludedIndex == s.lastIncludedIndex && lastIncludedTerm == s.lastIncludedTerm
                && offset == s.offset && totalSize == s.totalSize && crc == s.crc && done == s.done
                && Arrays.equals(data, s.data) && configuration.equals(s.configuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, leaderId, lastIncludedIndex, lastIncludedTerm, offset, totalSize, crc, done, configuration)
                * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "InstallSnapshot[term=" + term + ", leader=" + leaderId + ", last=" + lastIncludedIndex + "/"
                + lastIncludedTerm + ", offset=" + offset + ", bytes=" + data.length + " of " + totalSize
                + ", done=" + done + (configuration.isEmpty() ? "" : ", configuration=" + configuration) + "]";
    }
}

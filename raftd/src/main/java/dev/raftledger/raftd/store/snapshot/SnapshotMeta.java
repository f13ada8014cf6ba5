package dev.raftledger.raftd.store.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a snapshot is: the state after applying every entry up to {@code lastIncludedIndex}
 * (of {@code lastIncludedTerm}), the cluster configuration in force there, and the size and
 * checksum of its payload (the serialized state, opaque to the store).
 *
 * @param lastIncludedIndex the last log index the snapshot covers (log positions are 0-based)
 * @param lastIncludedTerm  the term of that entry (at least 1)
 * @param configuration     the membership configuration, a JSON text opaque to the store; may be
 *                          empty, never null; at most {@link #MAX_CONFIGURATION_BYTES} in UTF-8
 * @param payloadSize       bytes of payload
 * @param payloadCrc        CRC32C of the payload, as an unsigned 32-bit value
 */
public record SnapshotMeta(long lastIncludedIndex, long lastIncludedTerm, String configuration, long payloadSize,
                           long payloadCrc) {

    /** A configuration is a member list; 1 MiB is far beyond any, and bounds what a header read allocates. */
    public static final int MAX_CONFIGURATION_BYTES = 1 << 20;

    public SnapshotMeta {
        Objects.requireNonNull(configuration, "configuration");
        if (lastIncludedIndex < 0) {
            throw new IllegalArgumentException("a snapshot's last included index must be at least 0: " + lastIncludedIndex);
        }
        if (lastIncludedTerm < 1) {
            throw new IllegalArgumentException("a snapshot's last included term must be at least 1: " + lastIncludedTerm);
        }
        if (configuration.getBytes(StandardCharsets.UTF_8).length > MAX_CONFIGURATION_BYTES) {
            throw new IllegalArgumentException("a snapshot's configuration must fit " + MAX_CONFIGURATION_BYTES + " bytes");
        }
        if (payloadSize < 0) {
            throw new IllegalArgumentException("a snapshot's payload size cannot be negative: " + payloadSize);
        }
        if (payloadCrc < 0 || payloadCrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a CRC32C is an unsigned 32-bit value: " + payloadCrc);
        }
    }

    /** Same snapshot point (index and term), whatever the payload. */
    public boolean samePoint(SnapshotMeta other) {
        return lastIncludedIndex == other.lastIncludedIndex && lastIncludedTerm == other.lastIncludedTerm;
    }

    /** For log lines. */
    public String describe() {
        return "snapshot through index " + lastIncludedIndex + " (term " + lastIncludedTerm + "), " + payloadSize
                + " bytes, crc32c " + String.format("%08x", payloadCrc);
    }
}

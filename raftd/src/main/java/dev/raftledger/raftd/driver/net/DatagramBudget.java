package dev.raftledger.raftd.driver.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.raftd.core.Limits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * How large the datagrams a node sends may be ({@code --max-datagram-bytes}), as sealed and sent,
 * and what that leaves for entries, snapshot chunks and reply lists. Every size here is computed
 * without sealing: with a cluster key a message travels encrypted, as many bytes as it has, plus
 * a fixed {@link ClusterAuth#SEAL_OVERHEAD} per datagram, so the cost of a list is the sum of
 * its items' costs. Thread-safe; immutable but for a cached size (see {@link #oneEntrySize}).
 *
 * <p>Peers always get at most {@link #maxBytes()}, loopback included, so that tests on 127.0.0.x
 * exercise the real sizes. Controller replies to a loopback address may take a whole
 * {@link Codec#MAX_DATAGRAM_BYTES} (loopback's MTU is 64 KiB, nothing fragments there, and the
 * convention's RETRIEVE promises every committed entry in one datagram); elsewhere
 * {@link #maxBytes()}.
 */
public final class DatagramBudget {

    /** The default: fits a 1500-byte Ethernet link without fragmentation, IPv4 or IPv6, with room for a tunnel header. */
    public static final int DEFAULT_BYTES = 1400;
    /** IPv6's minimum MTU (1280) less its header and UDP's, rounded down. */
    public static final int MIN_BYTES = 1200;
    /** What a node accepts ({@link Codec#MAX_DATAGRAM_BYTES}, 64,000): for jumbo frames or loopback-only clusters. */
    public static final int MAX_BYTES = Codec.MAX_DATAGRAM_BYTES;

    /** The widest number a message may carry (2^53 - 1, the codec's limit for terms and indices). */
    private static final long WIDEST = (1L << 53) - 1;

    private final int maxBytes;
    private final ClusterAuth auth;
    private final String clusterId;
    /** What the {@code cluster_id} field adds to every peer message, sealed (0 without an id). */
    private final int clusterIdBytes;

    public DatagramBudget(int maxBytes, ClusterAuth auth) {
        this(maxBytes, auth, null);
    }

    /** As above, for a node whose peer messages carry {@code clusterId} (null: none). */
    public DatagramBudget(int maxBytes, ClusterAuth auth, String clusterId) {
        if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("--max-datagram-bytes must be " + MIN_BYTES + "-" + MAX_BYTES + ": "
                    + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.auth = auth;
        this.clusterId = clusterId;
        byte[] field = Codec.withClusterId("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), clusterId);
        this.clusterIdBytes = field.length - 2;
    }

    /** The cluster id this node's peer messages carry, or null. */
    public String clusterId() {
        return clusterId;
    }

    /** A peer message as it is sent: with this node's cluster id, if it has one. */
    public byte[] peerBytes(PeerMessage m) {
        return Codec.withClusterId(Codec.encode(m), clusterId);
    }

    /** What a peer message encoded without its cluster id ({@code message}) takes once sent, sealed. */
    public int peerSealedSize(byte[] message) {
        return sealedSize(message) + clusterIdBytes;
    }

    /** The most bytes a datagram to a peer may take, sealed. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The cluster key's sealing (none without a key): the keyring STATUS reports. */
    public ClusterAuth auth() {
        return auth;
    }

    public boolean sealed() {
        return auth.enabled();
    }

    /** What {@code message} takes once sealed (exactly). */
    public int sealedSize(byte[] message) {
        return sealedSize(message.length);
    }

    private int sealedSize(int length) {
        return auth.sealedLength(length);
    }

    /**
     * The replication limits for leader {@code self}: batches of what a datagram leaves after
     * the widest AppendEntry header this leader can send (every number at its widest), so that
     * no batch the core builds needs more than one datagram.
     */
    public Limits limits(String self) {
        return Limits.forDatagrams(batchBytes(self));
    }

    int batchBytes(String self) {
        int header = peerSealedSize(Codec.encode(widestAppend(self, List.of())));
        return maxBytes - header;
    }

    /**
     * Whether {@code data} fits one datagram as the only entry of an AppendEntry with the widest
     * header this leader can send. A leader refuses a write that does not (ERROR TOO_LARGE): it
     * could never replicate.
     */
    public boolean entryFits(String self, Payload data) {
        return oneEntrySize(self, data) <= maxBytes;
    }

    /**
     * What {@code data} takes as the only entry of the widest AppendEntry, sealed. An entry's
     * bytes travel as they are (raw JSON), so this is the size with an empty object {@code {}}
     * plus what {@code data} has beyond those two bytes: encoded once per leader name, not per
     * write (DatagramBudgetTest holds it to the encoding).
     */
    public int oneEntrySize(String self, Payload data) {
        OneEntry base = oneEntry;
        if (base == null || !base.self().equals(self)) {
            int encoded = Codec.encode(widestAppend(self, List.of(new Entry(WIDEST - 1, WIDEST, Payload.NOOP)))).length;
            base = new OneEntry(self, encoded - Payload.NOOP.size());
            oneEntry = base;
        }
        return sealedSize(base.withoutData() + data.size()) + clusterIdBytes;
    }

    /** The widest one-entry AppendEntry of {@code self} less its entry's bytes, unsealed. */
    private record OneEntry(String self, int withoutData) {}

    /** Computed once (racy but benign: any thread computes the same value). */
    private volatile OneEntry oneEntry;

    private static AppendEntry widestAppend(String self, List<Entry> entries) {
        long prev = entries.isEmpty() ? WIDEST : entries.get(0).index() - 1;
        return new AppendEntry(WIDEST, self, prev, WIDEST, self, entries, WIDEST, WIDEST);
    }

    /**
     * The most bytes a controller reply to {@code to} may take, sealed: a whole
     * {@link Codec#MAX_DATAGRAM_BYTES} to a loopback address, {@link #maxBytes()} elsewhere.
     */
    public int replyBytes(InetSocketAddress to) {
        return isLoopback(to) ? Codec.MAX_DATAGRAM_BYTES : maxBytes;
    }

    public static boolean isLoopback(InetSocketAddress to) {
        InetAddress a = to == null ? null : to.getAddress();
        return a != null && a.isLoopbackAddress();
    }

    /** What {@code item} adds to a list in a reply: its JSON and a comma. */
    public int itemCost(JsonNode item) {
        return Codec.toBytes(item).length + 1;
    }
}

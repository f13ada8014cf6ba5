package dev.raftledger.raftctl;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a raftctl process remembers between its writes: its client id, the next sequence number,
 * and the node that last acted as leader. One-shot commands get one per process; the shell keeps
 * one for all its lines, so that sequence numbers keep increasing and the last known leader is
 * tried first.
 *
 * <p>The client id and sequence number are what make ledger writes exactly-once: a write retried
 * after a lost reply or a change of leader carries the same pair, and the ledger answers every
 * retry with the first result. Only a new write takes a new number ({@link #nextSeq()}).
 */
public final class ClientState {

    static final String CLIENT_ID_PREFIX = "raftctl-";

    private final String requestedClientId;
    private final Long requestedSeq;
    private final AtomicLong nextSeq;
    private volatile String clientId;
    private volatile String leader;
    private volatile String lastReader;

    private ClientState(String requestedClientId, Long requestedSeq) {
        this.requestedClientId = requestedClientId;
        this.requestedSeq = requestedSeq;
        this.clientId = requestedClientId;
        this.nextSeq = new AtomicLong(requestedSeq == null ? 1 : requestedSeq);
    }

    /**
     * @param clientId the --client-id given, or null for a fresh random one
     * @param firstSeq the --seq given, or null to start at 1
     */
    public static ClientState of(String clientId, Long firstSeq) {
        return new ClientState(clientId, firstSeq);
    }

    /** Whether this state was made from these very options (a shell line that does not override them). */
    boolean madeFrom(String clientIdOption, Long seqOption) {
        return Objects.equals(requestedClientId, clientIdOption) && Objects.equals(requestedSeq, seqOption);
    }

    /**
     * "raftctl-" and 12 random hex digits, drawn on first use (so that commands that write
     * nothing never touch SecureRandom), unless --client-id named one.
     */
    public String clientId() {
        String id = clientId;
        if (id == null) {
            synchronized (this) {
                if (clientId == null) {
                    byte[] bytes = new byte[6];
                    new SecureRandom().nextBytes(bytes);
                    clientId = CLIENT_ID_PREFIX + HexFormat.of().formatHex(bytes);
                }
                id = clientId;
            }
        }
        return id;
    }

    /** The sequence number of a new write; never handed out twice. */
    public long nextSeq() {
        return nextSeq.getAndIncrement();
    }

    /** The name of the node that last acted as leader, or null. */
    public String leader() {
        return leader;
    }

    public void leader(String name) {
        leader = name;
    }

    /** Forgets {@code name} as leader if it is the one remembered. */
    public void notLeader(String name) {
        if (name != null && name.equals(leader)) {
            leader = null;
        }
    }

    /** The node that last answered a read any node may answer (a stale read), or null. */
    public String lastReader() {
        return lastReader;
    }

    public void lastReader(String name) {
        lastReader = name;
    }
}

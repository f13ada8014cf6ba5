package dev.raftledger.raftd.sim;

import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.Money;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Payload;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A ledger client as raftctl's {@code LedgerClient} behaves: one client id, a sequence number
 * that grows by one per new write, and the same (client id, seq) and the very same command
 * retried until a result arrives - at its last known leader, else at the next node in turn. A
 * refusal with a leader hint redirects it; silence (a node down, a write on a deposed leader that
 * never commits) ends in a timeout and a retry elsewhere. Only an acknowledgement moves it on to the
 * next seq. Between writes it sometimes makes a linearizable read.
 *
 * <p>Each write's description is "client#n" (its n-th write, equal to its seq unless a planted
 * bug renumbers retries), so that the checks can tell from a ledger alone which write created
 * each expense.
 */
final class SimClient {

    enum Reply { ACCEPTED, NOT_LEADER, NO_ANSWER }

    /** The nodes, as the client reaches them (the simulator carries the request to the node). */
    interface Cluster {
        List<String> names();

        /** The write goes to {@code node}; {@code hint} receives a redirect's leader (or null). */
        Reply write(SimClient client, String node, long attempt, long now, String[] hint);

        Reply read(SimClient client, String node, long attempt, long now, String[] hint);
    }

    /**
     * How long a client waits for an accepted write's result (raftd answers "outcome unknown"
     * after 5 s; a simulated run is only seconds long), for any answer from a node that may be
     * down, and for a read; and how often it tries a read before giving up (a read owes nothing).
     */
    static final long WRITE_TIMEOUT_MS = 1_000;
    static final long NO_ANSWER_MS = 150;
    static final long READ_TIMEOUT_MS = 600;
    static final int READ_TRIES = 3;

    final String clientId;
    private final SplittableRandom random;
    private final long thinkMs;
    private final double readShare;

    private final boolean newSeqOnRetry;
    /** The client's n-th write (what the user asked for), and the seq it currently travels with. */
    private long write;
    private long seq;
    private ExpenseDraft draft;
    private Payload command;
    private boolean writing;
    private long ackedWrite;
    private boolean reading;
    private int readTries;
    private long readDeadline;
    private long attempt;
    private long wakeAt;
    private String knownLeader;
    /** Where the last request went, and whether that node took it (then a wake-up is its timeout). */
    private String lastTarget;
    private boolean lastAccepted;
    /** Without a known leader the client walks the nodes in turn, as LeaderRouter does, from a random start. */
    private int walk;
    private boolean stopped;

    long writesAcked;
    long retries;
    long redirects;
    long readsServed;
    long readsRefused;

    SimClient(String clientId, SplittableRandom random, long startAt, boolean newSeqOnRetry) {
        this.clientId = clientId;
        this.newSeqOnRetry = newSeqOnRetry;
        this.random = random;
        this.thinkMs = 10 + random.nextLong(150);
        this.readShare = random.nextDouble(0.1, 0.4);
        this.walk = random.nextInt(1_000);
        this.wakeAt = startAt;
    }

    long wakeAt() {
        return wakeAt;
    }

    /** The write under way (or the last one). */
    long write() {
        return write;
    }

    /** The seq the current write travels with. */
    long seq() {
        return seq;
    }

    long ackedWrite() {
        return ackedWrite;
    }

    boolean isWriting() {
        return writing;
    }

    /** No new writes or reads from now on; the one under way is still finished. */
    void stop() {
        stopped = true;
        if (!writing && !reading) {
            wakeAt = Long.MAX_VALUE;
        }
    }

    boolean isIdle() {
        return !writing && !reading;
    }

    /** The key the client's n-th write leaves in the ledger, as the description of its expense. */
    static String key(String clientId, long write) {
        return clientId + "#" + write;
    }

    String key() {
        return key(clientId, write);
    }

    /** The command of the current write (the same bytes on every retry). */
    Payload command() {
        return command;
    }

    /** Does what is due at {@code now}: a new write or read, or a retry after a timeout or redirect. */
    void act(long now, Cluster cluster) {
        if (writing) {
            retries++;
            if (lastAccepted) {
                // no result in time: the node may be a deposed leader cut off from the rest, which
                // still takes writes it can never commit; pass over it, as raftctl's LeaderRouter does
                knownLeader = null;
            }
            if (newSeqOnRetry) { // PLANTED BUG: a retry is sent as a new write
                seq++;
                command = command(draft, seq);
            }
            sendWrite(now, cluster);
        } else if (reading) {
            if (readTries >= READ_TRIES || now >= readDeadline) {
                reading = false; // a read is not owed to anyone: give up
                if (lastAccepted) {
                    knownLeader = null; // it took the read and never confirmed it: perhaps a deposed leader
                }
                idle(now);
            } else {
                sendRead(now, cluster);
            }
        } else if (stopped) {
            wakeAt = Long.MAX_VALUE;
        } else if (write > 0 && random.nextDouble() < readShare) {
            reading = true;
            readTries = 0;
            readDeadline = now + READ_TIMEOUT_MS;
            sendRead(now, cluster);
        } else {
            write++;
            seq++;
            draft = draftFor(write);
            command = command(draft, seq);
            writing = true;
            attempt = 0;
            sendWrite(now, cluster);
        }
    }

    private void sendWrite(long now, SimClient.Cluster cluster) {
        long sent = ++attempt;
        String[] hint = new String[1];
        String target = target(cluster);
        Reply r = cluster.write(this, target, sent, now, hint);
        lastTarget = target;
        lastAccepted = r == Reply.ACCEPTED;
        if (writing && attempt == sent) { // unless the answer already came (a node that applies at once)
            wakeAt = now + after(r, target, hint[0], WRITE_TIMEOUT_MS);
        }
    }

    private void sendRead(long now, SimClient.Cluster cluster) {
        long sent = ++attempt;
        readTries++;
        String[] hint = new String[1];
        String target = target(cluster);
        Reply r = cluster.read(this, target, sent, now, hint);
        lastTarget = target;
        lastAccepted = r == Reply.ACCEPTED;
        if (reading && attempt == sent) {
            wakeAt = r == Reply.ACCEPTED ? readDeadline : now + after(r, target, hint[0], 0);
        }
    }

    /** How long to wait after a reply; updates what the client believes about the leader. */
    private long after(Reply r, String target, String hint, long acceptedWait) {
        switch (r) {
            case ACCEPTED:
                return acceptedWait;
            case NOT_LEADER:
                redirects++;
                knownLeader = hint != null && !hint.equals(target) ? hint : null;
                return knownLeader != null ? 1 + random.nextLong(5) : 10 + random.nextLong(40);
            default:
                knownLeader = null;
                return NO_ANSWER_MS;
        }
    }

    /**
     * Mostly the last known leader; else (and now and then anyway, as a client with a stale
     * address would) the next node in turn, but never straight back to a node that took the last
     * write and never answered.
     */
    private String target(Cluster cluster) {
        if (knownLeader != null && random.nextDouble() < 0.9) {
            return knownLeader;
        }
        List<String> names = cluster.names();
        String pick = names.get(walk++ % names.size());
        if (lastAccepted && writing && pick.equals(lastTarget)) {
            pick = names.get(walk++ % names.size());
        }
        return pick;
    }

    /** The write's entry applied at {@code node}: acknowledged with its result, or lost to another entry. */
    void writeOutcome(long attemptNo, long writeNo, boolean committed, String node, long now) {
        if (!awaits(attemptNo, writeNo)) {
            return; // an answer to an attempt the client no longer waits for (a new socket per try)
        }
        if (committed) {
            writing = false;
            ackedWrite = write;
            writesAcked++;
            knownLeader = node;
            idle(now);
        } else {
            knownLeader = null;
            wakeAt = now + 1 + random.nextLong(20);
        }
    }

    /** Whether an answer for this attempt is the one the client is waiting for. */
    boolean awaits(long attemptNo, long writeNo) {
        return writing && attemptNo == attempt && writeNo == write;
    }

    void readOutcome(long attemptNo, boolean served, long now) {
        if (!reading || attemptNo != attempt) {
            return;
        }
        if (served) {
            reading = false;
            readsServed++;
            idle(now);
        } else {
            readsRefused++;
            knownLeader = null;
            wakeAt = now + 10 + random.nextLong(40);
        }
    }

    private void idle(long now) {
        wakeAt = stopped ? Long.MAX_VALUE : now + random.nextLong(thinkMs + 1);
    }

    /** An expense, valid, varied, and tagged with the client's write number in the description. */
    private ExpenseDraft draftFor(long n) {
        try {
            Money amount = Money.parse((1 + random.nextInt(500)) + "." + (10 + random.nextInt(90)),
                    random.nextInt(4) == 0 ? "USD" : "EUR");
            return new ExpenseDraft(amount, "cat" + random.nextInt(5), key(clientId, n),
                    "payer" + random.nextInt(3), LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28)));
        } catch (LedgerException e) {
            throw new IllegalStateException("the simulator built an invalid expense", e);
        }
    }

    /** The ledger command JSON, as the driver proposes it (LedgerCodec.commandToJson). */
    private Payload command(ExpenseDraft d, long s) {
        return Payload.ofJson(Codec.toBytes(LedgerCodec.commandToJson(new LedgerCommand.Add(clientId, s, d))));
    }
}

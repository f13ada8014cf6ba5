package dev.raftledger.raftd.sim;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.TimeoutNow;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's recent history for a failure report: a ring buffer of events (deliveries, crashes,
 * partitions, elections, commits, client writes). Events are stored as they are and formatted
 * only when printed, because a run records tens of thousands and almost never prints one.
 * It also folds every event into a fingerprint, so a test can show that a replay is exact.
 */
final class Trace {

    private record Line(long time, String node, String what, Object detail) {}

    private final Line[] ring;
    private final PrintStream echo;
    private int next;
    private long total;
    private long fingerprint = 1;

    Trace(int capacity, PrintStream echo) {
        this.ring = new Line[Math.max(1, capacity)];
        this.echo = echo;
    }

    /** {@code detail} is a String, a number or a {@link PeerMessage}; anything else prints by toString. */
    void add(long time, String node, String what, Object detail) {
        Line line = new Line(time, node, what, detail);
        ring[next] = line;
        next = (next + 1) % ring.length;
        total++;
        fingerprint = fingerprint * 31 + time;
        fingerprint = fingerprint * 31 + what.hashCode();
        fingerprint = fingerprint * 31 + (node == null ? 0 : node.hashCode());
        fingerprint = fingerprint * 31 + digest(detail);
        if (echo != null) {
            echo.println(format(line));
        }
    }

    long fingerprint() {
        return fingerprint;
    }

    /** The last {@code n} events (at most the buffer's capacity), oldest first. */
    List<String> tail(int n) {
        int count = (int) Math.min(Math.min(n, ring.length), total);
        List<String> out = new ArrayList<>(count);
        for (int i = count; i > 0; i--) {
            out.add(format(ring[Math.floorMod(next - i, ring.length)]));
        }
        return out;
    }

    private static String format(Line l) {
        return String.format("t=%-6d %-6s %-10s %s", l.time(), l.node() == null ? "-" : l.node(), l.what(),
                l.detail() instanceof PeerMessage m ? brief(m) : String.valueOf(l.detail()));
    }

    /** A message in a few words: enough to follow an election or a replication round. */
    static String brief(PeerMessage m) {
        if (m instanceof AppendEntry ae) {
            return "AE " + ae.senderName() + " t" + ae.term() + " prev=" + ae.prevLogIndex() + "/" + ae.prevLogTerm()
                    + (ae.entries().isEmpty() ? "" : " +" + ae.entries().size() + " (to "
                    + (ae.prevLogIndex() + ae.entries().size()) + "/" + ae.entries().get(ae.entries().size() - 1).term() + ")")
                    + " commit=" + ae.leaderCommit() + (ae.readSeq() > 0 ? " rs=" + ae.readSeq() : "");
        }
        if (m instanceof AppendReply r) {
            return "AR " + r.from() + "->" + r.to() + " t" + r.term() + (r.success() ? " ok match=" + r.matchIndex()
                    : " refused at " + r.rejectIndex() + " conflict=" + r.conflictIndex() + "/" + r.conflictTerm())
                    + (r.readSeq() > 0 ? " rs=" + r.readSeq() : "");
        }
        if (m instanceof RequestVote rv) {
            return "RV " + rv.candidateId() + " t" + rv.term() + " last=" + rv.lastLogIndex() + "/" + rv.lastLogTerm();
        }
        if (m instanceof InstallSnapshot is) {
            return "SNAP " + is.leaderId() + " t" + is.term() + " through " + is.lastIncludedIndex() + "/"
                    + is.lastIncludedTerm() + " " + is.data().length + " B";
        }
        if (m instanceof TimeoutNow t) {
            return "TN " + t.from() + "->" + t.to() + " t" + t.term();
        }
        if (!(m instanceof VoteAck)) {
            return m.toString();
        }
        VoteAck ack = (VoteAck) m;
        return "VA " + ack.from() + "->" + ack.to() + " t" + ack.term() + (ack.granted() ? " granted" : " denied");
    }

    /** A cheap, deterministic hash (no enum or identity hash codes, no whole payloads). */
    private static long digest(Object detail) {
        if (detail == null) {
            return 0;
        }
        if (detail instanceof AppendEntry ae) {
            return ((ae.term() * 31 + ae.prevLogIndex()) * 31 + ae.entries().size()) * 31 + ae.leaderCommit();
        }
        if (detail instanceof AppendReply r) {
            return ((r.term() * 31 + r.matchIndex()) * 31 + r.rejectIndex()) * 31 + (r.success() ? 1 : 0);
        }
        if (detail instanceof RequestVote rv) {
            return (rv.term() * 31 + rv.lastLogIndex()) * 31 + rv.lastLogTerm();
        }
        if (detail instanceof VoteAck ack) {
            return ack.term() * 31 + (ack.granted() ? 1 : 0) + ack.from().hashCode();
        }
        if (detail instanceof InstallSnapshot is) {
            return (is.term() * 31 + is.lastIncludedIndex()) * 31 + is.data().length;
        }
        return detail.toString().hashCode();
    }
}

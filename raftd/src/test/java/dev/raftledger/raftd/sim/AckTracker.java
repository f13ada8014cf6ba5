package dev.raftledger.raftd.sim;

import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.PeerMessage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What each node acknowledged, as the simulator saw the acknowledgements leave. Two judgements
 * need it: at a crash, whether the node had acknowledged entries that were not durable (Raft's
 * stable-storage contract); and, when a leader's core reports that a follower "lost acknowledged
 * entries", whether the refusal behind that report was sent after the acknowledgement (a real
 * loss) or before it and merely overtaken on the network (a false alarm of the core).
 */
final class AckTracker {

    /** Per (follower, leader, term): the highest match acknowledged so far. */
    private final Map<String, Long> acked = new HashMap<>();
    /** For each refusal sent: the highest match its sender had acknowledged to that leader in that term before. */
    private final Map<AppendReply, Long> ackedBeforeRefusal = new IdentityHashMap<>();
    /** Per node: the term of its latest acknowledgement and the highest index it acknowledged in that term. */
    private final long[] lastTerm;
    private final long[] highest;

    AckTracker(int nodes) {
        lastTerm = new long[nodes];
        highest = new long[nodes];
        Arrays.fill(highest, -1);
    }

    /** Node {@code from} sends {@code reply}. */
    void sent(int from, AppendReply reply) {
        String link = reply.from() + ">" + reply.to() + "@" + reply.term();
        if (reply.success()) {
            acked.merge(link, reply.matchIndex(), Math::max);
            if (reply.term() != lastTerm[from]) {
                lastTerm[from] = reply.term();
                highest[from] = -1;
            }
            highest[from] = Math.max(highest[from], reply.matchIndex());
        } else {
            ackedBeforeRefusal.put(reply, acked.getOrDefault(link, -1L));
        }
    }

    /** The highest index {@code node} acknowledged in {@code term}, or -1. */
    long acknowledgedIn(int node, long term) {
        return lastTerm[node] == term ? highest[node] : -1;
    }

    /**
     * Whether {@code delivered}, a refusal saying its sender's log ends before what it had
     * acknowledged, was sent before that acknowledgement (stale, reordered) rather than after it.
     */
    boolean isStaleRefusal(PeerMessage delivered) {
        if (!(delivered instanceof AppendReply r) || r.success()) {
            return false;
        }
        Long before = ackedBeforeRefusal.get(r);
        return before != null && before < r.conflictIndex();
    }
}

package dev.raftledger.raftd.driver.control;

import dev.raftledger.raftd.driver.Applier;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client writes this node proposed as leader, waiting for their entries to commit. An entry
 * applied at a write's index with the write's term means it committed; any other entry there
 * means it was lost with a change of leader. When this node stops leading, every write still
 * waiting is answered at once (see {@link Applier#leadershipLost}). Loop thread only.
 */
public final class PendingWrites {

    /**
     * A write waiting for its entry. {@code tag}: for an EXPENSE, the
     * {@link dev.raftledger.common.ledger.LedgerWrite} its entry holds, decoded and validated when
     * it was accepted, which is applied in place of the entry's bytes if the entry at
     * {@code index} is of {@code term} (then it is this write's own); null for other writes.
     */
    public record Pending(long index, long term, InetSocketAddress replyTo, String request, Object tag, long since) {}

    private final Map<Long, Pending> byIndex = new TreeMap<>();

    void add(Pending p) {
        byIndex.put(p.index(), p);
    }

    /** The write waiting on this index, removed, or null. */
    public Pending resolve(long index) {
        return byIndex.remove(index);
    }

    /** Every write waiting, removed, oldest first (this node stopped leading). */
    public List<Pending> drain() {
        List<Pending> all = new ArrayList<>(byIndex.values());
        byIndex.clear();
        return all;
    }

    /** Writes older than {@code cutoff}, removed: their outcome is unknown to this node. */
    public List<Pending> expire(long cutoff) {
        List<Pending> old = new ArrayList<>();
        for (Iterator<Pending> it = byIndex.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.since() < cutoff) {
                old.add(p);
                it.remove();
            }
        }
        return old;
    }

}

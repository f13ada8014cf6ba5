package dev.raftledger.raftd.driver.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The disk alarms a node knows of: its own (from its {@link SpaceMonitor}) and, on a leader, its
 * followers' (the {@code no_space} flag of each AppendReply, and of each VoteAck, so that a new
 * leader knows its voters' alarms before it takes its first write). A follower's alarm is fresh while
 * its replies keep saying so and for {@link #FRESH_MS} after the last one that did: a follower
 * that went silent (stopped, cut off) no longer holds up the cluster's writes; its next reply
 * says again. As etcd's NOSPACE alarm, any member's alarm stops new writes cluster-wide, since
 * every member holds the same log and the others are about as full.
 *
 * <p>Not thread-safe: the event loop's.
 */
public final class ClusterAlarms {

    /** How long a follower's alarm holds without a reply repeating it: a few heartbeats. */
    public static final long FRESH_MS = 1_000;

    /** One member's alarm. */
    public record Alarm(String node, String alarm, String reason) {}

    private final String self;
    private final Supplier<SpaceMonitor.State> local;
    /** Follower -> when a reply last said its alarm is raised (monotonic ms). */
    private final Map<String, Long> followers = new LinkedHashMap<>();
    /** Writes refused for an alarm; written by the loop, read by the metrics thread. */
    private volatile long refused;

    /** @param local this node's own state (none: a test's loop without a monitor) */
    public ClusterAlarms(String self, Supplier<SpaceMonitor.State> local) {
        this.self = self;
        this.local = local;
    }

    /** No monitor: only followers' alarms (the loop's own tests). */
    public static ClusterAlarms withoutMonitor(String self) {
        return new ClusterAlarms(self, () -> null);
    }

    /** Whether this node's own alarm is raised: its AppendReplies say so. */
    public boolean localRaised() {
        SpaceMonitor.State s = local.get();
        return s != null && s.raised();
    }

    public SpaceMonitor.State localState() {
        return local.get();
    }

    /** An AppendReply or a VoteAck from {@code from} at {@code now}, with its flag. */
    public void reply(String from, boolean noSpace, long now) {
        if (noSpace) {
            followers.put(from, now);
        } else {
            followers.remove(from);
        }
    }

    /** Every fresh alarm, this node's first. */
    public List<Alarm> active(long now) {
        List<Alarm> out = new ArrayList<>();
        SpaceMonitor.State s = local.get();
        if (s != null && s.raised()) {
            out.add(new Alarm(self, "NO_SPACE", s.alarm()));
        }
        followers.entrySet().removeIf(e -> now - e.getValue() > FRESH_MS);
        for (String f : followers.keySet()) {
            out.add(new Alarm(f, "NO_SPACE", "its replies to this node say its disk alarm is raised"));
        }
        return out;
    }

    /** Writes refused for an alarm so far (any thread). */
    public long refused() {
        return refused;
    }

    /** Why a new write must be refused now (counted as refused), or null if writes are taken. */
    public String refusal(long now) {
        List<Alarm> alarms = active(now);
        if (alarms.isEmpty()) {
            return null;
        }
        refused++; // the loop thread only writes it
        StringBuilder why = new StringBuilder("the cluster is out of space: ");
        for (int i = 0; i < alarms.size(); i++) {
            Alarm a = alarms.get(i);
            why.append(i == 0 ? "" : "; ").append(a.node()).append(": ").append(a.reason());
        }
        return why.append(". Nothing was done; reads and deletions still work. Take a snapshot to compact the log "
                + "(raftctl snapshot), free disk space, or raise --quota-bytes; writes resume once every alarm "
                + "clears").toString();
    }
}

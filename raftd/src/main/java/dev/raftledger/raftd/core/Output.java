package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * What one call into the core produced. The driver must act on it in this order:
 * <ol>
 *   <li>persist {@link #hardState()} if it is not null, durably, before anything else;</li>
 *   <li>truncate its log from {@link #truncateFrom()} (if not -1), then append {@link #append()}
 *       (these become durable later, by group commit);</li>
 *   <li>send each of {@link #messages()} once this node's log is durable up to the message's
 *       {@link Outbound#durableIndex()}; drop it instead if the core's term has moved past the
 *       message's term by then;</li>
 *   <li>apply {@link #apply()}, committed entries in index order, to the state machine;</li>
 *   <li>serve or refuse the reads in {@link #reads()} (a ready read once its index is applied);</li>
 *   <li>log {@link #events()}.</li>
 * </ol>
 * Snapshots (Raft section 7) add three effects, none of which the core can carry out itself since
 * it never holds a snapshot's bytes: {@link #sendSnapshot()}, followers the leader must send its
 * latest snapshot to (again, if a transfer stalled; a transfer under way continues);
 * {@link #snapshotChunks()}, chunks of a leader's snapshot for the driver to store and
 * acknowledge; and {@link #installedSnapshot()}, set once the core has adopted a snapshot the
 * driver received in full and stored durably: the driver then replaces the state machine with
 * it and makes its durable log start after it (keeping the entries that follow it if the log
 * holds its last entry with its term, else none), before it sends the messages.
 * {@link #portChecks()} are peers (a follower's leader, late with its heartbeat) whose port the
 * driver should check for a process still listening: if the host answers that none is, the
 * driver tells the core ({@code RaftCore.leaderUnreachable}); if it says nothing, nothing happens.
 */
public record Output(HardState hardState, long truncateFrom, List<Entry> append, List<Outbound> messages,
                     List<Entry> apply, List<ReadResult> reads, List<CoreEvent> events,
                     List<String> sendSnapshot, List<InstallSnapshot> snapshotChunks, LogPosition installedSnapshot,
                     List<String> portChecks) {

    public static final Output NONE = new Output(null, -1, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), null, List.of());

    public Output {
        append = List.copyOf(append);
        messages = List.copyOf(messages);
        apply = List.copyOf(apply);
        reads = List.copyOf(reads);
        events = List.copyOf(events);
        sendSnapshot = List.copyOf(sendSnapshot);
        snapshotChunks = List.copyOf(snapshotChunks);
        portChecks = List.copyOf(portChecks);
    }

    public boolean isEmpty() {
        return hardState == null && truncateFrom < 0 && append.isEmpty() && messages.isEmpty()
                && apply.isEmpty() && reads.isEmpty() && events.isEmpty() && sendSnapshot.isEmpty()
                && snapshotChunks.isEmpty() && installedSnapshot == null && portChecks.isEmpty();
    }

    /** Collects the effects of one call; the core starts one per call and returns its result. */
    static final class Builder {
        private HardState hardState;
        private long truncateFrom = -1;
        private final List<Entry> append = new ArrayList<>();
        private final List<Outbound> messages = new ArrayList<>();
        private final List<Entry> apply = new ArrayList<>();
        private final List<ReadResult> reads = new ArrayList<>();
        private final List<CoreEvent> events = new ArrayList<>();
        private final List<String> sendSnapshot = new ArrayList<>();
        private final List<InstallSnapshot> snapshotChunks = new ArrayList<>();
        private LogPosition installedSnapshot;
        private final List<String> portChecks = new ArrayList<>();

        void persist(HardState state) {
            hardState = state;
        }

        void truncate(long from) {
            append.removeIf(e -> e.index() >= from);
            truncateFrom = truncateFrom < 0 ? from : Math.min(truncateFrom, from);
        }

        void append(Entry e) {
            append.add(e);
        }

        void send(Outbound message) {
            messages.add(message);
        }

        void apply(Entry e) {
            apply.add(e);
        }

        void read(ReadResult result) {
            reads.add(result);
        }

        void event(CoreEvent event) {
            events.add(event);
        }

        void sendSnapshot(String peer) {
            sendSnapshot.add(peer);
        }

        void snapshotChunk(InstallSnapshot chunk) {
            snapshotChunks.add(chunk);
        }

        void installed(LogPosition snapshot) {
            installedSnapshot = snapshot;
        }

        void checkPort(String peer) {
            portChecks.add(peer);
        }

        Output build() {
            if (hardState == null && truncateFrom < 0 && append.isEmpty() && messages.isEmpty()
                    && apply.isEmpty() && reads.isEmpty() && events.isEmpty() && sendSnapshot.isEmpty()
                    && snapshotChunks.isEmpty() && installedSnapshot == null && portChecks.isEmpty()) {
                return NONE;
            }
            return new Output(hardState, truncateFrom, append, messages, apply, reads, events, sendSnapshot,
                    snapshotChunks, installedSnapshot, portChecks);
        }
    }
}

package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Snapshots and compaction in the core (Raft section 7). */
class SnapshotRulesTest {

    private static final Payload WRITE = Payload.ofJson("{\"op\":\"test\"}");

    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(new Entry(i, term, i == from ? Payload.NOOP : WRITE));
        }
        return list;
    }

    /** A follower restarted from a snapshot through (9, 2), holding entries 10..12 of term 2. */
    private static RaftCore restarted() {
        return new RaftCore("Node2", CoreFixtures.FIVE, Timings.SEED, Limits.DEFAULT, new HardState(2, null),
                new LogPosition(9, 2), entries(10, 12, 2), new SplittableRandom(3), 0, 1);
    }

    private static InstallSnapshot chunk(long term, long index, long snapshotTerm, boolean done) {
        return new InstallSnapshot(term, "Node1", index, snapshotTerm, 0, 3, 1, done, new byte[] {1, 2, 3});
    }

    @Test
    void aNodeRestartedFromASnapshotCountsItCommittedAndApplied() {
        RaftCore n = restarted();
        assertEquals(new LogPosition(9, 2), n.snapshot());
        assertEquals(10, n.firstIndex());
        assertEquals(12, n.lastIndex());
        assertEquals(9, n.commitIndex());
        assertEquals(9, n.appliedIndex());
        Output out = n.step(new AppendEntry(2, "Node1", 12, 2, "Node1", List.of(), 11), 1);
        assertEquals(List.of(10L, 11L), out.apply().stream().map(Entry::index).toList(), "applies after the snapshot");
    }

    @Test
    void entriesTheSnapshotCoversAreTakenAsMatching() {
        RaftCore n = restarted();
        // the leader resends 8..11: 8 and 9 are in the snapshot, 10 and 11 in the log
        List<Entry> batch = new ArrayList<>(entries(8, 9, 2));
        batch.addAll(n.lastIndex() >= 11 ? List.of(new Entry(10, 2, Payload.NOOP), new Entry(11, 2, WRITE)) : List.of());
        Output out = n.step(new AppendEntry(2, "Node1", 7, 2, "Node1", batch, 9), 1);
        AppendReply r = CoreFixtures.sent(out, AppendReply.class).get(0);
        assertTrue(r.success(), r.toString());
        assertEquals(11, r.matchIndex());
        Output old = n.step(new AppendEntry(2, "Node1", 3, 1, "Node1", entries(4, 5, 1), 9), 2);
        AppendReply covered = CoreFixtures.sent(old, AppendReply.class).get(0);
        assertTrue(covered.success(), "all of it is committed here");
        assertEquals(5, covered.matchIndex());
        assertEquals(12, n.lastIndex(), "nothing truncated");
    }

    @Test
    void aLeaderAsksForTheSnapshotWhenAFollowerNeedsCompactedEntries() {
        RaftCore l = CoreFixtures.leader(1, 0); // Node1, term 2, no-op at 0
        l.propose(List.of(WRITE, WRITE, WRITE), 1);
        for (String f : List.of("Node2", "Node3")) {
            l.step(AppendReply.accepted(2, f, "Node1", 3), 2);
        }
        l.persisted(3, 2);
        assertEquals(3, l.commitIndex());
        l.compact(2);
        assertEquals(new LogPosition(2, 2), l.snapshot());
        assertThrows(IllegalArgumentException.class, () -> l.compact(4), "never beyond what is applied");
        // Node4 has nothing: it answers the probe from index 0, and needs entry 0
        Output out = l.step(AppendReply.accepted(2, "Node4", "Node1", -1), 3);
        assertEquals(List.of("Node4"), out.sendSnapshot());
        CoreFixtures.onlyEvent(out, CoreEvent.SnapshotNeeded.class);
        Output beat = l.tick(l.nextDeadline());
        assertTrue(beat.sendSnapshot().isEmpty(), "asked once, not at every heartbeat");
        AppendEntry toNode4 = CoreFixtures.sent(beat, AppendEntry.class).stream()
                .filter(a -> a.prevLogIndex() == 2).findFirst().orElseThrow();
        assertEquals(2, toNode4.prevLogTerm(), "heartbeats name the snapshot's end");
        long t = 3;
        Output again = Output.NONE;
        for (int i = 0; i < RaftCore.SNAPSHOT_RETRY_HEARTBEATS + 1 && again.sendSnapshot().isEmpty(); i++) {
            t = l.nextDeadline();
            again = l.tick(t);
        }
        assertEquals(List.of("Node4"), again.sendSnapshot(), "asked again if it is not acknowledged");
        // installed: Node4 says it holds everything through 2
        Output installed = l.step(AppendReply.accepted(2, "Node4", "Node1", 2), t + 1);
        AppendEntry rest = CoreFixtures.sent(installed, AppendEntry.class).get(0);
        assertEquals(2, rest.prevLogIndex());
        assertEquals(List.of(3L), rest.entries().stream().map(Entry::index).toList(), "then the entries after it");
    }

    @Test
    void aChunkBeyondTheCommitIndexGoesToTheDriverAndOneWithinIsAcknowledged() {
        RaftCore n = restarted();
        Output fresh = n.step(chunk(2, 20, 2, false), 1);
        assertEquals(1, fresh.snapshotChunks().size());
        assertTrue(CoreFixtures.sent(fresh, AppendReply.class).isEmpty(), "the driver acknowledges chunks");
        assertEquals("Node1", n.leader());
        Output old = n.step(chunk(2, 8, 2, true), 2);
        assertTrue(old.snapshotChunks().isEmpty());
        assertEquals(8, CoreFixtures.sent(old, AppendReply.class).get(0).matchIndex());
        Output stale = n.step(chunk(1, 30, 1, true), 3);
        assertTrue(stale.snapshotChunks().isEmpty());
        assertFalse(CoreFixtures.sent(stale, AppendReply.class).get(0).success(), "a deposed leader learns our term");
    }

    @Test
    void anInstalledSnapshotReplacesAConflictingLogAndKeepsAMatchingSuffix() {
        RaftCore conflicting = restarted();
        conflicting.step(CoreFixtures.heartbeat(3, "Node1"), 1);
        RaftCore.Install replaced = conflicting.snapshotReceived("Node1", new LogPosition(11, 3), 2);
        assertTrue(replaced.adopted());
        assertEquals(new LogPosition(11, 3), replaced.output().installedSnapshot());
        assertEquals(11, conflicting.lastIndex(), "entry 11 was of term 2: everything after the snapshot is gone");
        assertEquals(11, conflicting.commitIndex());
        assertEquals(11, conflicting.appliedIndex());
        assertEquals(11, CoreFixtures.sent(replaced.output(), AppendReply.class).get(0).matchIndex());

        RaftCore matching = restarted();
        matching.step(CoreFixtures.heartbeat(2, "Node1"), 1);
        RaftCore.Install kept = matching.snapshotReceived("Node1", new LogPosition(11, 2), 2);
        assertTrue(kept.adopted());
        assertEquals(12, matching.lastIndex(), "entry 12 follows the snapshot's end with its term: kept");
        assertEquals(new LogPosition(11, 2), matching.snapshot());

        RaftCore.Install stale = matching.snapshotReceived("Node1", new LogPosition(10, 2), 3);
        assertFalse(stale.adopted(), "already committed as far");
        assertNull(stale.output().installedSnapshot());
    }
}

package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The term rules and the role dispatch of {@link RaftCore#step}, as one table: every kind of
 * peer message, from Node2, of an older, the same and a newer term (4, 5, 6), to Node1 in each
 * role in term 5. Each row is what follows: Node1's term and role, how many messages it counted
 * as stale, what it sent (type, term, + granted or success, - refused; "x4" the same to four
 * peers) and the events it reported. A change
 * to any rule shows up here as a changed row, to be reviewed as text.
 */
class TermStepTest {

    private static final Limits LIMITS = new Limits(16 * 1024, 32, true, false);

    static final String TABLE = """
            follower      VOTE       4 -> 5 FOLLOWER      stale+0 [VoteAck@5-] {VoteDenied}
            follower      VOTE       5 -> 5 FOLLOWER      stale+0 [VoteAck@5+] {VoteGranted}
            follower      VOTE       6 -> 6 FOLLOWER      stale+0 [VoteAck@6+] {RoleChanged VoteGranted}
            follower      PREVOTE    4 -> 5 FOLLOWER      stale+0 [VoteAck@5-] {}
            follower      PREVOTE    5 -> 5 FOLLOWER      stale+0 [VoteAck@5-] {}
            follower      PREVOTE    6 -> 5 FOLLOWER      stale+0 [VoteAck@6+] {}
            follower      GRANT      4 -> 5 FOLLOWER      stale+1 [] {}
            follower      GRANT      5 -> 5 FOLLOWER      stale+1 [] {}
            follower      GRANT      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            follower      REFUSE     4 -> 5 FOLLOWER      stale+1 [] {}
            follower      REFUSE     5 -> 5 FOLLOWER      stale+1 [] {}
            follower      REFUSE     6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            follower      PREGRANT   4 -> 5 FOLLOWER      stale+1 [] {}
            follower      PREGRANT   5 -> 5 FOLLOWER      stale+1 [] {}
            follower      PREGRANT   6 -> 5 FOLLOWER      stale+1 [] {}
            follower      PREREFUSE  4 -> 5 FOLLOWER      stale+1 [] {}
            follower      PREREFUSE  5 -> 5 FOLLOWER      stale+1 [] {}
            follower      PREREFUSE  6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            follower      APPEND     4 -> 5 FOLLOWER      stale+1 [AppendReply@5-] {}
            follower      APPEND     5 -> 5 FOLLOWER      stale+0 [AppendReply@5+] {LeaderKnown}
            follower      APPEND     6 -> 6 FOLLOWER      stale+0 [AppendReply@6+] {RoleChanged LeaderKnown}
            follower      SNAPSHOT   4 -> 5 FOLLOWER      stale+1 [AppendReply@5-] {}
            follower      SNAPSHOT   5 -> 5 FOLLOWER      stale+0 [] {LeaderKnown}
            follower      SNAPSHOT   6 -> 6 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            follower      REPLY      4 -> 5 FOLLOWER      stale+1 [] {}
            follower      REPLY      5 -> 5 FOLLOWER      stale+1 [] {}
            follower      REPLY      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            follower      SNAPACK    4 -> 5 FOLLOWER      stale+1 [] {}
            follower      SNAPACK    5 -> 5 FOLLOWER      stale+1 [] {}
            follower      SNAPACK    6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            follower      TIMEOUTNOW 4 -> 5 FOLLOWER      stale+1 [] {}
            follower      TIMEOUTNOW 5 -> 6 CANDIDATE     stale+0 [RequestVote@6 x4] {RoleChanged ElectionStarted}
            follower      TIMEOUTNOW 6 -> 7 CANDIDATE     stale+0 [RequestVote@7 x4] {RoleChanged RoleChanged ElectionStarted}
            pre-candidate VOTE       4 -> 5 PRE_CANDIDATE stale+0 [VoteAck@5-] {VoteDenied}
            pre-candidate VOTE       5 -> 5 PRE_CANDIDATE stale+0 [VoteAck@5+] {VoteGranted}
            pre-candidate VOTE       6 -> 6 FOLLOWER      stale+0 [VoteAck@6+] {RoleChanged VoteGranted}
            pre-candidate PREVOTE    4 -> 5 PRE_CANDIDATE stale+0 [VoteAck@5-] {}
            pre-candidate PREVOTE    5 -> 5 PRE_CANDIDATE stale+0 [VoteAck@5-] {}
            pre-candidate PREVOTE    6 -> 5 PRE_CANDIDATE stale+0 [VoteAck@6+] {}
            pre-candidate GRANT      4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate GRANT      5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate GRANT      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            pre-candidate REFUSE     4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate REFUSE     5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate REFUSE     6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            pre-candidate PREGRANT   4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate PREGRANT   5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate PREGRANT   6 -> 5 PRE_CANDIDATE stale+0 [] {}
            pre-candidate PREREFUSE  4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate PREREFUSE  5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate PREREFUSE  6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            pre-candidate APPEND     4 -> 5 PRE_CANDIDATE stale+1 [AppendReply@5-] {}
            pre-candidate APPEND     5 -> 5 FOLLOWER      stale+0 [AppendReply@5+] {RoleChanged LeaderKnown}
            pre-candidate APPEND     6 -> 6 FOLLOWER      stale+0 [AppendReply@6+] {RoleChanged LeaderKnown}
            pre-candidate SNAPSHOT   4 -> 5 PRE_CANDIDATE stale+1 [AppendReply@5-] {}
            pre-candidate SNAPSHOT   5 -> 5 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            pre-candidate SNAPSHOT   6 -> 6 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            pre-candidate REPLY      4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate REPLY      5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate REPLY      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            pre-candidate SNAPACK    4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate SNAPACK    5 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate SNAPACK    6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            pre-candidate TIMEOUTNOW 4 -> 5 PRE_CANDIDATE stale+1 [] {}
            pre-candidate TIMEOUTNOW 5 -> 6 CANDIDATE     stale+0 [RequestVote@6 x4] {RoleChanged ElectionStarted}
            pre-candidate TIMEOUTNOW 6 -> 7 CANDIDATE     stale+0 [RequestVote@7 x4] {RoleChanged RoleChanged ElectionStarted}
            candidate     VOTE       4 -> 5 CANDIDATE     stale+0 [VoteAck@5-] {VoteDenied}
            candidate     VOTE       5 -> 5 CANDIDATE     stale+0 [VoteAck@5-] {VoteDenied}
            candidate     VOTE       6 -> 6 FOLLOWER      stale+0 [VoteAck@6+] {RoleChanged VoteGranted}
            candidate     PREVOTE    4 -> 5 CANDIDATE     stale+0 [VoteAck@5-] {}
            candidate     PREVOTE    5 -> 5 CANDIDATE     stale+0 [VoteAck@5-] {}
            candidate     PREVOTE    6 -> 5 CANDIDATE     stale+0 [VoteAck@6+] {}
            candidate     GRANT      4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     GRANT      5 -> 5 CANDIDATE     stale+0 [] {}
            candidate     GRANT      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            candidate     REFUSE     4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     REFUSE     5 -> 5 CANDIDATE     stale+0 [] {}
            candidate     REFUSE     6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            candidate     PREGRANT   4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     PREGRANT   5 -> 5 CANDIDATE     stale+1 [] {}
            candidate     PREGRANT   6 -> 5 CANDIDATE     stale+1 [] {}
            candidate     PREREFUSE  4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     PREREFUSE  5 -> 5 CANDIDATE     stale+1 [] {}
            candidate     PREREFUSE  6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            candidate     APPEND     4 -> 5 CANDIDATE     stale+1 [AppendReply@5-] {}
            candidate     APPEND     5 -> 5 FOLLOWER      stale+0 [AppendReply@5+] {RoleChanged LeaderKnown}
            candidate     APPEND     6 -> 6 FOLLOWER      stale+0 [AppendReply@6+] {RoleChanged LeaderKnown}
            candidate     SNAPSHOT   4 -> 5 CANDIDATE     stale+1 [AppendReply@5-] {}
            candidate     SNAPSHOT   5 -> 5 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            candidate     SNAPSHOT   6 -> 6 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            candidate     REPLY      4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     REPLY      5 -> 5 CANDIDATE     stale+1 [] {}
            candidate     REPLY      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            candidate     SNAPACK    4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     SNAPACK    5 -> 5 CANDIDATE     stale+1 [] {}
            candidate     SNAPACK    6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            candidate     TIMEOUTNOW 4 -> 5 CANDIDATE     stale+1 [] {}
            candidate     TIMEOUTNOW 5 -> 6 CANDIDATE     stale+0 [RequestVote@6 x4] {RoleChanged ElectionStarted}
            candidate     TIMEOUTNOW 6 -> 7 CANDIDATE     stale+0 [RequestVote@7 x4] {RoleChanged RoleChanged ElectionStarted}
            leader        VOTE       4 -> 5 LEADER        stale+0 [VoteAck@5-] {VoteDenied}
            leader        VOTE       5 -> 5 LEADER        stale+0 [VoteAck@5-] {VoteDenied}
            leader        VOTE       6 -> 6 FOLLOWER      stale+0 [VoteAck@6+] {RoleChanged VoteGranted}
            leader        PREVOTE    4 -> 5 LEADER        stale+0 [VoteAck@5-] {}
            leader        PREVOTE    5 -> 5 LEADER        stale+0 [VoteAck@5-] {}
            leader        PREVOTE    6 -> 5 LEADER        stale+0 [VoteAck@5-] {}
            leader        GRANT      4 -> 5 LEADER        stale+1 [] {}
            leader        GRANT      5 -> 5 LEADER        stale+1 [] {}
            leader        GRANT      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            leader        REFUSE     4 -> 5 LEADER        stale+1 [] {}
            leader        REFUSE     5 -> 5 LEADER        stale+1 [] {}
            leader        REFUSE     6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            leader        PREGRANT   4 -> 5 LEADER        stale+1 [] {}
            leader        PREGRANT   5 -> 5 LEADER        stale+1 [] {}
            leader        PREGRANT   6 -> 5 LEADER        stale+1 [] {}
            leader        PREREFUSE  4 -> 5 LEADER        stale+1 [] {}
            leader        PREREFUSE  5 -> 5 LEADER        stale+1 [] {}
            leader        PREREFUSE  6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            leader        APPEND     4 -> 5 LEADER        stale+1 [AppendReply@5-] {}
            leader        APPEND     5 -> 5 LEADER        stale+0 [] {ProtocolAnomaly}
            leader        APPEND     6 -> 6 FOLLOWER      stale+0 [AppendReply@6+] {RoleChanged LeaderKnown}
            leader        SNAPSHOT   4 -> 5 LEADER        stale+1 [AppendReply@5-] {}
            leader        SNAPSHOT   5 -> 5 LEADER        stale+0 [] {ProtocolAnomaly}
            leader        SNAPSHOT   6 -> 6 FOLLOWER      stale+0 [] {RoleChanged LeaderKnown}
            leader        REPLY      4 -> 5 LEADER        stale+1 [] {}
            leader        REPLY      5 -> 5 LEADER        stale+0 [] {}
            leader        REPLY      6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            leader        SNAPACK    4 -> 5 LEADER        stale+1 [] {}
            leader        SNAPACK    5 -> 5 LEADER        stale+0 [] {}
            leader        SNAPACK    6 -> 6 FOLLOWER      stale+0 [] {RoleChanged}
            leader        TIMEOUTNOW 4 -> 5 LEADER        stale+1 [] {}
            leader        TIMEOUTNOW 5 -> 5 LEADER        stale+1 [] {}
            leader        TIMEOUTNOW 6 -> 7 CANDIDATE     stale+0 [RequestVote@7 x4] {RoleChanged RoleChanged ElectionStarted}
            """;

    @Test
    void everyMessageOfEveryTermInEveryRole() {
        List<String> expected = TABLE.lines().map(l -> l.strip().replaceAll(" +", " ")).filter(l -> !l.isEmpty()).toList();
        List<String> actual = new ArrayList<>();
        for (String role : List.of("follower", "pre-candidate", "candidate", "leader")) {
            for (String kind : List.of("VOTE", "PREVOTE", "GRANT", "REFUSE", "PREGRANT", "PREREFUSE", "APPEND",
                    "SNAPSHOT", "REPLY", "SNAPACK", "TIMEOUTNOW")) {
                for (long term = 4; term <= 6; term++) {
                    actual.add(row(role, kind, term));
                }
            }
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    private static String row(String role, String kind, long msgTerm) {
        RaftCore n = node(role);
        assertEquals(5, n.term(), role);
        long now = 10;
        long staleBefore = n.status(now).counters().staleMessages();
        Output out = n.step(message(kind, msgTerm), now);
        long stale = n.status(now).counters().staleMessages() - staleBefore;
        List<String> each = out.messages().stream().map(o -> describe(o.message())).toList();
        String sent = each.size() > 1 && each.stream().distinct().count() == 1 ? each.get(0) + " x" + each.size()
                : String.join(" ", each);
        String events = out.events().stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.joining(" "));
        return String.format("%-14s %-10s %d -> %d %s stale+%d [%s] {%s}", role, kind, msgTerm, n.term(), n.role(),
                stale, sent, events).replaceAll(" +", " ");
    }

    private static String describe(PeerMessage m) {
        String flag = m instanceof VoteAck a ? (a.granted() ? "+" : "-")
                : m instanceof AppendReply r ? (r.success() ? "+" : "-") : "";
        return m.getClass().getSimpleName() + "@" + m.term() + flag;
    }

    /** Node1 in term 5 in the given role; its log is at least as long as any candidate's here. */
    private static RaftCore node(String role) {
        RaftCore n;
        switch (role) {
            case "follower" -> n = core(5);
            case "pre-candidate" -> {
                n = core(5);
                n.tick(n.nextDeadline());
                assertEquals(Role.PRE_CANDIDATE, n.role());
            }
            case "candidate" -> {
                n = core(4);
                n.forceElection(0);
                assertEquals(Role.CANDIDATE, n.role());
            }
            case "leader" -> {
                n = core(4);
                n.forceElection(0);
                n.step(new VoteAck(5, true, "Node3", "Node1"), 0);
                n.step(new VoteAck(5, true, "Node4", "Node1"), 0);
                assertEquals(Role.LEADER, n.role());
            }
            default -> throw new IllegalArgumentException(role);
        }
        return n;
    }

    private static RaftCore core(long term) {
        return new RaftCore("Node1", CoreFixtures.FIVE, Timings.SEED, LIMITS, new HardState(term, null), List.of(),
                new SplittableRandom(1), 0);
    }

    private static PeerMessage message(String kind, long term) {
        return switch (kind) {
            case "VOTE" -> RequestVote.of(term, "Node2", 1_000, term);
            case "PREVOTE" -> RequestVote.preVote(term, "Node2", 1_000, term);
            case "GRANT" -> new VoteAck(term, true, "Node2", "Node1");
            case "REFUSE" -> new VoteAck(term, false, "Node2", "Node1");
            case "PREGRANT" -> new VoteAck(term, true, "Node2", "Node1", true);
            case "PREREFUSE" -> new VoteAck(term, false, "Node2", "Node1", true);
            case "APPEND" -> AppendEntry.heartbeat(term, "Node2", -1, 0);
            case "SNAPSHOT" -> new InstallSnapshot(term, "Node2", 100, term, 0, 10, 0, false, new byte[1]);
            case "REPLY" -> AppendReply.accepted(term, "Node2", "Node1", 0);
            case "SNAPACK" -> new SnapshotAck(term, "Node2", "Node1", 100, 1);
            case "TIMEOUTNOW" -> new TimeoutNow(term, "Node2", "Node1");
            default -> throw new IllegalArgumentException(kind);
        };
    }
}

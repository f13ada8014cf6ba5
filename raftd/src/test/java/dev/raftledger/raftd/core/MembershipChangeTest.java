package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.RaftCore.ConfigChange;
import dev.raftledger.raftd.core.RaftCore.Reconfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Membership changes, one server at a time (Raft thesis, chapter 4), one rule per test: each
 * test fails if its rule is broken.
 */
class MembershipChangeTest {

    static final ClusterConfig FIVE = ClusterConfig.ofVoters(CoreFixtures.FIVE);
    static final ClusterConfig THREE = ClusterConfig.ofVoters(List.of("Node1", "Node2", "Node3"));
    /** Node1-Node3 vote, Node4 is a learner. */
    static final ClusterConfig THREE_AND_LEARNER = ClusterConfig.of(List.of(
            new ClusterConfig.Member("Node1", null, ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Node2", null, ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Node3", null, ClusterConfig.Suffrage.VOTER),
            new ClusterConfig.Member("Node4", null, ClusterConfig.Suffrage.LEARNER)));

    private static Reconfiguration change(Wired w, String leader, ConfigChange c) {
        Reconfiguration r = w.core(leader).changeConfig(c, w.now);
        w.run(leader, r.output());
        return r;
    }

    private static void write(Wired w, String leader, int count) {
        List<Payload> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            data.add(Payload.ofJson("{\"key\":\"k\",\"value\":\"" + i + "\"}"));
        }
        w.run(leader, w.core(leader).propose(data, w.now).output());
    }

    private static boolean fromTo(Outbound o, String from, Set<String> to) {
        return o.message().sender().equals(from) && to.contains(o.to());
    }

    /** Node6 started to join: its own list is the five plus itself as a learner (raftd --join). */
    private static RaftCore startJoiner(Wired w, String name) {
        return w.start(name, FIVE.withLearner(name, "127.0.0." + name.substring(4)));
    }

    /** Five voters, Node1 leading term 1 with its no-op committed, and Node6 added as a learner. */
    private static Wired fiveWithLearnerNode6() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        startJoiner(w, "Node6");
        Reconfiguration r = change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6"));
        assertTrue(r.accepted(), r.reason());
        w.settle("Node1");
        assertTrue(w.core("Node1").commitIndex() >= r.entry().index());
        return w;
    }

    // ---- a configuration is in force once appended, not once committed -------------------------

    @Test
    void aConfigurationTakesEffectWhenAppendedNotWhenCommitted() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.settle("Node1");
        w.hold(o -> o.message() instanceof AppendReply); // nothing more commits

        Reconfiguration r = change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6"));

        assertTrue(r.accepted(), r.reason());
        RaftCore follower = w.core("Node2");
        assertTrue(follower.commitIndex() < r.entry().index(), "not committed");
        assertEquals(r.config(), follower.config(), "in force on the follower that appended it");
        assertEquals(r.entry().index(), follower.configIndex());
        assertEquals(FIVE, follower.committedConfig());
        assertEquals(r.config(), w.core("Node1").config(), "and on the leader");
        CoreEvent.MembershipChanged seen = w.events("Node2", CoreEvent.MembershipChanged.class).get(0);
        assertEquals(r.config(), seen.config());
        assertFalse(seen.committed());
    }

    @Test
    void aConfigurationCutFromTheLogGivesWayToTheOneBefore() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.settle("Node1");
        // only Node2 hears of the change, which therefore never commits
        w.hold(o -> fromTo(o, "Node1", Set.of("Node3", "Node4", "Node5")));
        Reconfiguration r = change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6"));
        assertEquals(r.config(), w.core("Node2").config());
        w.discardHeld();
        w.down("Node1");

        w.elect("Node3"); // votes of Node4 and Node5; its no-op replaces the change on Node2

        assertEquals(Role.LEADER, w.core("Node3").role());
        w.settle("Node3");
        assertEquals(FIVE, w.core("Node2").config(), "the truncated change is gone");
        List<CoreEvent.MembershipChanged> changes = w.events("Node2", CoreEvent.MembershipChanged.class);
        assertEquals(FIVE, changes.get(changes.size() - 1).config());
        assertEquals(-1, w.core("Node2").configIndex(), "back to the initial list");
    }

    // ---- majorities over the configuration in force ---------------------------------------------

    @Test
    void theNewConfigurationsMajorityDecidesItsOwnCommitment() {
        Wired w = fiveWithLearnerNode6();
        // Promoting Node6 makes six voters: 4 needed. Node1, Node2 and Node3 are 3 (a majority
        // of the old five, not of the new six).
        w.hold(o -> o.message() instanceof AppendReply && Set.of("Node4", "Node5", "Node6").contains(o.message().sender()));

        Reconfiguration r = change(w, "Node1", ConfigChange.promote("Node6"));

        assertTrue(r.accepted(), r.reason());
        assertEquals(6, r.config().voters().size());
        assertTrue(w.core("Node1").commitIndex() < r.entry().index(), "3 of 6 voters is no majority");
        w.release();
        assertEquals(r.entry().index(), w.core("Node1").commitIndex(), "4 of 6 is");
    }

    @Test
    void aLearnersAcknowledgementsDoNotCountTowardCommitment() {
        Wired w = Wired.of(THREE_AND_LEARNER);
        w.start("Node4", THREE_AND_LEARNER);
        w.elect("Node1");
        w.settle("Node1");
        long before = w.core("Node1").commitIndex();
        // only the learner acknowledges: the leader and Node4 would be 2, a "majority" of three
        w.hold(o -> o.message() instanceof AppendReply && !o.message().sender().equals("Node4"));

        write(w, "Node1", 1);

        assertEquals(w.core("Node1").lastIndex(), w.core("Node4").lastIndex(), "the learner has the entry");
        assertEquals(before, w.core("Node1").commitIndex(), "but its acknowledgement counts for nothing");
        w.release();
        assertEquals(w.core("Node1").lastIndex(), w.core("Node1").commitIndex());
    }

    @Test
    void aLearnerNeverCampaigns() {
        Wired w = Wired.of(THREE_AND_LEARNER);
        RaftCore learner = w.start("Node4", THREE_AND_LEARNER);

        Output timedOut = learner.tick(learner.nextDeadline());
        Output ordered = learner.forceElection(learner.nextDeadline());

        assertTrue(CoreFixtures.sent(timedOut, RequestVote.class).isEmpty(), timedOut.toString());
        assertTrue(ordered.isEmpty(), "even the controller's TIMEOUT does not make a learner campaign");
        assertEquals(Role.FOLLOWER, learner.role());
        assertEquals(0, learner.term());
        assertTrue(learner.nextDeadline() > 0, "its timer was rearmed, not left to fire in a loop");
    }

    @Test
    void aCandidateAsksAndCountsVotersOnly() {
        Wired w = Wired.of(THREE_AND_LEARNER);
        RaftCore c = w.core("Node1");

        Output out = c.forceElection(0);
        c.step(new VoteAck(1, true, "Node4", "Node1"), 1);

        assertEquals(List.of("Node2", "Node3"), CoreFixtures.recipients(out), "the learner is not asked");
        assertEquals(Role.CANDIDATE, c.role(), "a learner's vote does not count");
        c.step(new VoteAck(1, true, "Node2", "Node1"), 2);
        assertEquals(Role.LEADER, c.role());
    }

    @Test
    void aLeaderRemovingItselfLeadsWithoutCountingItselfThenStepsDownAndHandsOver() {
        Wired w = Wired.of(THREE);
        w.elect("Node1");
        w.settle("Node1");
        w.hold(o -> o.message() instanceof AppendReply && o.message().sender().equals("Node3"));

        Reconfiguration r = change(w, "Node1", ConfigChange.remove("Node1"));

        assertTrue(r.accepted(), r.reason());
        RaftCore old = w.core("Node1");
        assertEquals(Role.LEADER, old.role(), "it manages the cluster until the change commits");
        assertTrue(old.commitIndex() < r.entry().index(), "Node2 alone is no majority of {Node2, Node3}, "
                + "and the leader does not count itself");
        w.release();
        List<Outbound> handOver = w.delivered.stream().filter(o -> o.message() instanceof TimeoutNow).toList();

        assertEquals(Role.FOLLOWER, old.role(), "stepped down once the change committed");
        assertTrue(w.events("Node1", CoreEvent.SteppedDown.class).get(0).reason().contains("no longer a voter"));
        assertEquals(1, handOver.size(), "it told a caught-up voter to take over");
        String successor = handOver.get(0).to();
        assertEquals(Role.LEADER, w.core(successor).role(), "which won at once");
        long term = w.core(successor).term();
        int elections = w.events("Node1", CoreEvent.ElectionStarted.class).size();
        w.advance(1_000);
        assertEquals(Role.FOLLOWER, old.role(), "a node outside the configuration never campaigns");
        assertEquals(elections, w.events("Node1", CoreEvent.ElectionStarted.class).size());
        assertEquals(term, w.core(successor).term());
    }

    /**
     * Thesis 4.2.2: a voter removed by a change that is not committed yet may be the only node
     * that can commit it (its log is the longest), so it still campaigns, without counting its
     * own vote. Here Node4 alone received its own removal before the leader went down; Node2 and
     * Node3 cannot win without Node4's vote, which their shorter logs do not get.
     */
    @Test
    void aVoterRemovedByAnUncommittedChangeStillCampaignsToCommitIt() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        assertTrue(change(w, "Node1", ConfigChange.remove("Node5")).accepted());
        w.settle("Node1");
        w.hold(o -> fromTo(o, "Node1", Set.of("Node2", "Node3")));
        Reconfiguration r = change(w, "Node1", ConfigChange.remove("Node4"));
        assertFalse(w.core("Node4").config().isVoter("Node4"), "Node4 has the entry that removes it");
        w.discardHeld();
        w.down("Node1");

        for (int i = 0; i < 300 && w.core("Node2").committedConfig().isVoter("Node4"); i++) {
            w.advance(10);
        }

        assertFalse(w.events("Node4", CoreEvent.LeaderElected.class).isEmpty(), "Node4 campaigned and won");
        assertEquals(r.config(), w.core("Node2").committedConfig(), "and its removal committed");
        assertEquals(2, w.events("Node4", CoreEvent.LeaderElected.class).get(0).votes(), "its own vote not counted");
        assertEquals(Role.FOLLOWER, w.core("Node4").role(), "then it stepped down");
    }

    // ---- one change at a time, and only once the leader's term has committed ----------------------

    @Test
    void onlyOneChangeAtATime() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.settle("Node1");
        w.hold(o -> o.message() instanceof AppendReply);
        Reconfiguration first = change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6"));

        Reconfiguration second = change(w, "Node1", ConfigChange.addLearner("Node7", "127.0.0.7"));

        assertTrue(first.accepted());
        assertEquals("CHANGE_IN_PROGRESS", second.refusal().name());
        assertTrue(second.reason().contains("index " + first.entry().index()), second.reason());
        w.release();
        assertTrue(change(w, "Node1", ConfigChange.addLearner("Node7", "127.0.0.7")).accepted(),
                "once the first is committed");
    }

    @Test
    void aNewLeaderChangesNothingBeforeAnEntryOfItsTermCommits() {
        Wired w = Wired.of(FIVE);
        w.hold(o -> o.message() instanceof AppendReply);
        RaftCore l = w.elect("Node1");
        assertEquals(Role.LEADER, l.role());

        Reconfiguration early = change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6"));

        assertEquals("CHANGE_IN_PROGRESS", early.refusal().name());
        assertTrue(early.reason().contains("not yet committed an entry of its term"), early.reason());
        assertEquals(0, l.lastIndex(), "nothing appended");
        w.release(); // its no-op commits
        assertTrue(change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6")).accepted());
    }

    // ---- what may be changed -----------------------------------------------------------------------

    @Test
    void aLearnerIsPromotedOnlyOnceCaughtUp() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        startJoiner(w, "Node6");
        w.down("Node6");
        assertTrue(change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6")).accepted());
        w.settle("Node1");

        Reconfiguration silent = change(w, "Node1", ConfigChange.promote("Node6"));
        assertEquals("NOT_READY", silent.refusal().name());
        assertTrue(silent.reason().contains("has not answered"), silent.reason());

        w.up("Node6");
        w.settle("Node1");
        w.down("Node6");
        write(w, "Node1", (int) RaftCore.PROMOTE_MAX_LAG + 1);
        Reconfiguration behind = change(w, "Node1", ConfigChange.promote("Node6"));
        assertEquals("NOT_READY", behind.refusal().name());
        assertTrue(behind.reason().contains("entries behind"), behind.reason());

        w.up("Node6");
        w.settle("Node1");
        assertTrue(w.core("Node1").learnerReady("Node6", w.now));
        Reconfiguration ok = change(w, "Node1", ConfigChange.promote("Node6"));
        assertTrue(ok.accepted(), ok.reason());
        w.settle("Node1");
        assertTrue(w.core("Node6").config().isVoter("Node6"), "the learner knows it votes now");
    }

    @Test
    void changesThatDoNotFitTheConfigurationAreRefused() {
        Wired w = fiveWithLearnerNode6();
        assertEquals("ALREADY_MEMBER", change(w, "Node1", ConfigChange.addLearner("Node2", "h")).refusal().name());
        assertEquals("ALREADY_MEMBER", change(w, "Node1", ConfigChange.addLearner("Node6", "h")).refusal().name());
        assertEquals("UNKNOWN_NODE", change(w, "Node1", ConfigChange.remove("Node9")).refusal().name());
        assertEquals("UNKNOWN_NODE", change(w, "Node1", ConfigChange.promote("Node9")).refusal().name());
        assertEquals("ALREADY_VOTER", change(w, "Node1", ConfigChange.promote("Node2")).refusal().name());
        assertEquals("MALFORMED", change(w, "Node1", ConfigChange.addLearner("no spaces", "h")).refusal().name());
        assertEquals("MALFORMED", change(w, "Node1", ConfigChange.addLearner("Node7", "bad host")).refusal().name());
        assertEquals("NOT_LEADER", change(w, "Node2", ConfigChange.remove("Node6")).refusal().name());

        Wired solo = Wired.of(ClusterConfig.ofVoters(List.of("Solo")));
        solo.elect("Solo");
        solo.settle("Solo");
        assertEquals("LAST_VOTER", change(solo, "Solo", ConfigChange.remove("Solo")).refusal().name());
    }

    @Test
    void aChangeWhoseVotersInReachCouldNotCommitItIsRefused() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.down("Node4");
        w.down("Node5");
        w.settle("Node1"); // 2 s of heartbeats: Node4 and Node5 out of reach

        Reconfiguration live = change(w, "Node1", ConfigChange.remove("Node3"));
        Reconfiguration dead = change(w, "Node1", ConfigChange.remove("Node5"));

        assertEquals("NO_QUORUM", live.refusal().name(), "{1,2,4,5} needs 3, only Node1 and Node2 answer");
        assertTrue(dead.accepted(), "{1,2,3,4} needs 3: Node1, Node2, Node3 answer");
        assertEquals(Set.of("Node1", "Node2", "Node3", "Node4"), Set.copyOf(dead.config().voters()));
    }

    @Test
    void clientProposalsCannotCarryAConfiguration() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        Payload forged = FIVE.without("Node5").toPayload();
        assertThrows(IllegalArgumentException.class, () -> w.core("Node1").propose(List.of(forged), w.now));
    }

    // ---- removed nodes ------------------------------------------------------------------------------

    @Test
    void aRemovedNodeLearnsItWasRemovedThenStaysQuietAndIsIgnored() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.settle("Node1");

        Reconfiguration r = change(w, "Node1", ConfigChange.remove("Node5"));
        w.settle("Node1");

        RaftCore removed = w.core("Node5");
        assertFalse(removed.config().isMember("Node5"), "it was sent the entry that removes it");
        assertFalse(w.core("Node1").replicas(w.now).containsKey("Node5"), "and nothing after it commits");
        w.advance(2_000);
        assertTrue(w.events("Node5", CoreEvent.ElectionStarted.class).isEmpty(), "it never campaigns");
        // a vote request from it (say it missed the entry, and its timer fired) is ignored
        RaftCore member = w.core("Node2");
        long term = member.term();
        Output ignored = member.step(RequestVote.of(term + 5, "Node5", 1_000, term), w.now);
        Output preIgnored = member.step(RequestVote.preVote(term + 5, "Node5", 1_000, term), w.now);
        assertTrue(ignored.isEmpty() && preIgnored.isEmpty(), ignored + " / " + preIgnored);
        assertEquals(term, member.term());
        assertTrue(r.accepted());
    }

    /**
     * Thesis 4.1: a voter that missed a configuration must still vote for a candidate it added.
     * Node2 is away while Node6 joins and is promoted; then Node1 and Node3 stop. Six voters
     * need four: Node6 can win only with lagging Node2's vote, which Node2 gives although Node6
     * is in none of its configurations (its log reaches past Node2's, and no leader is heard).
     */
    @Test
    void aVoterThatMissedAPromotionStillVotesForThePromotedCandidate() {
        Wired w = Wired.of(FIVE);
        w.elect("Node1");
        w.down("Node2");
        startJoiner(w, "Node6");
        assertTrue(change(w, "Node1", ConfigChange.addLearner("Node6", "127.0.0.6")).accepted());
        w.settle("Node1");
        Reconfiguration promoted = change(w, "Node1", ConfigChange.promote("Node6"));
        assertTrue(promoted.accepted(), promoted.reason());
        w.settle("Node1");
        assertFalse(w.core("Node2").config().isMember("Node6"), "Node2 never heard of Node6");

        w.down("Node1");
        w.down("Node3");
        w.up("Node2");
        w.elect("Node6");

        assertEquals(Role.LEADER, w.core("Node6").role(), "four of six voters: Node2's vote was needed");
        assertEquals("Node6", w.core("Node2").hardState().votedFor());
        w.settle("Node6");
        assertTrue(w.core("Node2").config().isVoter("Node6"), "and it learns the configuration from the new leader");
    }

    // ---- durability, snapshots ---------------------------------------------------------------------

    @Test
    void aRestartedNodeFollowsTheConfigurationInItsLogNotItsStartingList() {
        Wired w = fiveWithLearnerNode6();
        RaftCore n2 = w.core("Node2");
        List<Entry> log = new ArrayList<>();
        for (long i = 0; i <= n2.lastIndex(); i++) {
            log.add(n2.entry(i));
        }

        RaftCore again = new RaftCore("Node2", THREE, Timings.SEED, Limits.DEFAULT, n2.hardState(), LogPosition.EMPTY,
                log, new SplittableRandom(2), 0, 2);

        assertEquals(w.core("Node1").config(), again.config(), "the log's configuration, not the list it was started with");
        assertTrue(again.config().isMember("Node6"));
    }

    @Test
    void theConfigurationAtAnIndexIsKeptThroughCompactionAndRestoredFromASnapshot() {
        Wired w = fiveWithLearnerNode6();
        RaftCore l = w.core("Node1");
        long at = l.configIndex();
        assertEquals(FIVE, l.configAt(at - 1));
        ClusterConfig six = l.configAt(at);
        assertTrue(six.isMember("Node6"));
        write(w, "Node1", 3);
        w.settle("Node1");

        l.compact(at + 1);

        assertEquals(six, l.configAt(at + 1), "the snapshot's configuration");
        assertEquals(six, l.config());
        assertThrows(IllegalArgumentException.class, () -> l.configAt(at - 1), "compacted away");
        LogPosition snap = l.snapshot();
        List<Entry> rest = new ArrayList<>();
        for (long i = snap.index() + 1; i <= l.lastIndex(); i++) {
            rest.add(l.entry(i));
        }
        RaftCore restored = new RaftCore("Node1", ClusterConfig.parse(l.configAt(snap.index()).toJson()), Timings.SEED,
                Limits.DEFAULT, l.hardState(), snap, rest, new SplittableRandom(1), 0, 2);
        assertEquals(six, restored.config());
        assertEquals(six, restored.committedConfig());
    }

    @Test
    void aSnapshotFromTheLeaderBringsItsConfiguration() {
        RaftCore f = new RaftCore("Node2", FIVE, Timings.SEED, Limits.DEFAULT, new HardState(3, null),
                LogPosition.EMPTY, List.of(), new SplittableRandom(2), 0, 1);
        f.step(AppendEntry.heartbeat(3, "Node1", -1, 0), 1);
        ClusterConfig withNode6 = FIVE.without("Node5").withLearner("Node6", "127.0.0.6");

        RaftCore.Install installed = f.snapshotReceived("Node1", new LogPosition(40, 3), withNode6, 2);

        assertTrue(installed.adopted());
        assertEquals(withNode6, f.config());
        assertEquals(40, f.configIndex());
        assertEquals(withNode6, CoreFixtures.onlyEvent(installed.output(), CoreEvent.MembershipChanged.class).config());
    }

    @Test
    void aNodeOutsideItsOwnConfigurationStartsAndWaits() {
        // raftd --join: the starting list holds this node as a learner
        RaftCore joiner = new RaftCore("Node6", FIVE.withLearner("Node6", "127.0.0.6"), Timings.SEED, Limits.RECOMMENDED,
                HardState.INITIAL, LogPosition.EMPTY, List.of(), new SplittableRandom(6), 0, 1);
        Output out = joiner.tick(joiner.nextDeadline());
        assertTrue(out.messages().isEmpty(), out.toString());
        assertNotEquals(Role.PRE_CANDIDATE, joiner.role());
    }
}

package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Limits;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Who the upgrade gate waits for: every member of the configuration in force, learners included,
 * heard in this term; a member added by a change is waited for too; a follower never stamps.
 */
class FeatureLevelsTest {

    private static ClusterConfig.Member voter(String name, String host) {
        return new ClusterConfig.Member(name, host, ClusterConfig.Suffrage.VOTER);
    }

    private static ClusterConfig.Member learner(String name, String host) {
        return new ClusterConfig.Member(name, host, ClusterConfig.Suffrage.LEARNER);
    }

    /** A one-voter leader (itself) with a learner; its no-op committed. */
    private static RaftCore leaderWithLearner() {
        RaftCore core = new RaftCore("Solo", ClusterConfig.of(List.of(voter("Solo", "127.0.0.9"),
                learner("Learner", "127.0.0.10"))), Timings.SEED, Limits.RECOMMENDED, HardState.INITIAL,
                LogPosition.EMPTY, List.of(), new SplittableRandom(1), 0, 1);
        core.forceElection(1);
        assertEquals(Role.LEADER, core.role());
        core.persisted(core.lastIndex(), 1);
        assertEquals(core.lastIndex(), core.commitIndex());
        return core;
    }

    @Test
    void aLearnerIsWaitedForAsAVoterIs() {
        RaftCore core = leaderWithLearner();
        FeatureLevels levels = new FeatureLevels(core);
        assertEquals(FeatureLevels.OWN, levels.level("Solo"), "the leader knows its own");
        assertNull(levels.level("Learner"), "not heard in this term");
        assertEquals(List.of("Learner"), levels.notReadingStamps());
        assertFalse(levels.stampsAllowed());

        levels.reply("Learner", core.term(), 0); // a release before stamps says nothing
        assertEquals(0L, levels.level("Learner"));
        assertFalse(levels.stampsAllowed());

        levels.reply("Learner", core.term(), FeatureLevels.STAMPS);
        assertTrue(levels.stampsAllowed());
    }

    @Test
    void aMemberAddedByAChangeIsWaitedForUntilItAnswers() {
        RaftCore core = leaderWithLearner();
        FeatureLevels levels = new FeatureLevels(core);
        levels.reply("Learner", core.term(), FeatureLevels.STAMPS);
        assertTrue(levels.stampsAllowed());

        RaftCore.Reconfiguration r = core.changeConfig(RaftCore.ConfigChange.addLearner("Newcomer", "127.0.0.11"), 2);
        assertNull(r.refusal(), r.reason());
        assertEquals(List.of("Newcomer"), levels.notReadingStamps(), "in force as soon as it is appended");
        assertFalse(levels.stampsAllowed());
        levels.reply("Newcomer", core.term(), FeatureLevels.STAMPS);
        assertTrue(levels.stampsAllowed());
    }

    @Test
    void aFollowerOrANewTermStampsNothing() {
        RaftCore core = leaderWithLearner();
        FeatureLevels levels = new FeatureLevels(core);
        levels.reply("Learner", core.term(), FeatureLevels.STAMPS);
        assertTrue(levels.stampsAllowed());
        core.convertToFollower(3);
        assertFalse(levels.stampsAllowed(), "only a leader stamps");
        core.forceElection(4); // leader again, in a new term: what the learner said before no longer counts
        assertEquals(Role.LEADER, core.role());
        assertFalse(levels.stampsAllowed());
        levels.reply("Learner", core.term(), FeatureLevels.STAMPS);
        assertTrue(levels.stampsAllowed());
    }
}

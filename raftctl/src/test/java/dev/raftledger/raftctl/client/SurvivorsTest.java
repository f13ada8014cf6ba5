package dev.raftledger.raftctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The most up-to-date survivor: the higher last term first, then the longer log; ties named. */
class SurvivorsTest {

    private static Survivors.Member up(String node, long index, long term, long commit) {
        return new Survivors.Member(node, true, "follower", index, term, commit, null);
    }

    private static Survivors.Member down(String node) {
        return new Survivors.Member(node, false, null, null, null, null, "no reply within 500 ms");
    }

    @Test
    void aLaterTermBeatsALongerLog() {
        Survivors s = Survivors.of(List.of(down("Node1"), up("Node2", 90, 3, 80), up("Node3", 70, 4, 60), down("Node4")));
        assertEquals("Node3", s.best());
        assertEquals(List.of("Node3"), s.tied());
    }

    @Test
    void inOneTermTheLongerLogWinsWhateverItsCommitIndex() {
        Survivors s = Survivors.of(List.of(up("Node1", 41, 3, 41), up("Node2", 44, 3, 38)));
        assertEquals("Node2", s.best());
    }

    @Test
    void equalLogsAreTiedAndNoAnswerIsNoChoice() {
        Survivors s = Survivors.of(List.of(up("Node4", 44, 3, 44), down("Node1"), up("Node5", 44, 3, 40)));
        assertEquals("Node4", s.best());
        assertEquals(List.of("Node4", "Node5"), s.tied());
        Survivors none = Survivors.of(List.of(down("Node1"), down("Node2")));
        assertNull(none.best());
        assertEquals(List.of(), none.tied());
    }
}

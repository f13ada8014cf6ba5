package dev.raftledger.raftctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderViewTest {

    private static LeaderView.Claim says(String node, String leader, long term) {
        return new LeaderView.Claim(node, true, leader, term, null);
    }

    private static LeaderView.Claim down(String node) {
        return new LeaderView.Claim(node, false, null, null, "no reply within 500 ms");
    }

    @Test
    void agreementTakesTheHighestTermOfTheNodesNamingTheLeader() {
        LeaderView v = LeaderView.of(List.of(says("A", "B", 4), says("B", "B", 5), says("C", null, 9), down("D")));

        assertEquals("B", v.leader());
        assertEquals(5L, v.term());
        assertEquals(2, v.agreeing());
        assertEquals(3, v.answering());
        assertEquals(4, v.total());
        assertFalse(v.disputed());
        assertEquals("B t5", v.label());
        assertEquals("B (term 5), named by 2 of 3 answering nodes; 1 of 4 not answering", v.summary());
    }

    @Test
    void differentLeadersAreADispute() {
        LeaderView v = LeaderView.of(List.of(says("A", "A", 5), says("B", "C", 6), says("C", "C", 6)));

        assertNull(v.leader());
        assertNull(v.term());
        assertTrue(v.disputed());
        assertEquals("leader disputed", v.label());
        assertEquals("no agreed leader: the nodes disagree: A per A (t5); C per B (t6), C (t6)", v.summary());
    }

    @Test
    void noneKnownAndNoneAnswering() {
        LeaderView none = LeaderView.of(List.of(says("A", null, 1), down("B")));
        LeaderView silent = LeaderView.of(List.of(down("A"), down("B")));

        assertNull(none.leader());
        assertFalse(none.disputed());
        assertEquals("no leader", none.label());
        assertEquals("no answer", silent.label());
        assertEquals(0, silent.answering());
    }

    @Test
    void refusalsDoNotCount() {
        LeaderView v = LeaderView.of(List.of(new LeaderView.Claim("A", true, null, null, "refused: X"), says("B", "B", 2)));

        assertEquals("B", v.leader());
        assertEquals(1, v.answering());
    }
}

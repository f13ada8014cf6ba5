package dev.raftledger.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.ClusterConfig.Member;
import dev.raftledger.common.wire.ClusterConfig.Suffrage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    static final ClusterConfig FIVE = ClusterConfig.of(List.of(
            new Member("Node1", "127.0.0.1", Suffrage.VOTER), new Member("Node2", "127.0.0.2", Suffrage.VOTER),
            new Member("Node3", "127.0.0.3", Suffrage.VOTER), new Member("Node4", "127.0.0.4", Suffrage.VOTER),
            new Member("Node5", "127.0.0.5", Suffrage.VOTER)));

    @Test
    void aConfigurationEntryRoundTripsAndIsRecognisedByItsPrefix() {
        ClusterConfig six = FIVE.withLearner("Node6", "127.0.0.6");
        Payload p = six.toPayload();

        assertEquals("{\"config\":{\"members\":[{\"name\":\"Node1\",\"host\":\"127.0.0.1\",\"role\":\"voter\"},"
                + "{\"name\":\"Node2\",\"host\":\"127.0.0.2\",\"role\":\"voter\"},"
                + "{\"name\":\"Node3\",\"host\":\"127.0.0.3\",\"role\":\"voter\"},"
                + "{\"name\":\"Node4\",\"host\":\"127.0.0.4\",\"role\":\"voter\"},"
                + "{\"name\":\"Node5\",\"host\":\"127.0.0.5\",\"role\":\"voter\"},"
                + "{\"name\":\"Node6\",\"host\":\"127.0.0.6\",\"role\":\"learner\"}]}}", p.text());
        assertTrue(ClusterConfig.isConfig(p));
        assertEquals(six, ClusterConfig.fromPayload(p));
        assertEquals(six, ClusterConfig.parse(six.toJson()), "as a snapshot keeps it");
    }

    @Test
    void otherEntriesAreNotConfigurations() {
        for (String data : List.of("{}", "{\"key\":\"config\",\"value\":\"x\"}", "{\"op\":\"add\",\"client_id\":\"c\"}",
                "{\"conf\":1}")) {
            Payload p = Payload.ofJson(data);
            assertFalse(ClusterConfig.isConfig(p), data);
            assertNull(ClusterConfig.fromPayload(p), data);
        }
    }

    @Test
    void changesOneServerAtATime() {
        ClusterConfig six = FIVE.withLearner("Node6", "127.0.0.6");
        assertEquals(0, six.votersChangedFrom(FIVE), "a learner changes no majority");
        assertEquals(List.of("Node1", "Node2", "Node3", "Node4", "Node5"), six.voters());
        assertEquals(3, six.quorum());
        assertTrue(six.isMember("Node6"));
        assertFalse(six.isVoter("Node6"));

        ClusterConfig promoted = six.withVoter("Node6");
        assertEquals(1, promoted.votersChangedFrom(six));
        assertEquals(4, promoted.quorum());
        assertEquals("127.0.0.6", promoted.member("Node6").orElseThrow().host());

        ClusterConfig replaced = promoted.without("Node2");
        assertEquals(List.of("Node1", "Node3", "Node4", "Node5", "Node6"), replaced.voters());
        assertEquals("Node1=127.0.0.1, Node3=127.0.0.3, Node4=127.0.0.4, Node5=127.0.0.5, Node6=127.0.0.6",
                replaced.toString());
        assertEquals("Node1=127.0.0.1, Node2=127.0.0.2, Node3=127.0.0.3, Node4=127.0.0.4, Node5=127.0.0.5, "
                + "Node6=127.0.0.6 (learner)", six.toString());
    }

    @Test
    void badConfigurationsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> FIVE.withLearner("Node1", "h"), "already a member");
        assertThrows(IllegalArgumentException.class, () -> FIVE.without("Node9"));
        assertThrows(IllegalArgumentException.class, () -> FIVE.withLearner("bad name", "h"));
        assertThrows(IllegalArgumentException.class, () -> FIVE.withLearner("Node6", "a host"));
        IllegalArgumentException noVoter = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.of(List.of(new Member("Node1", null, Suffrage.LEARNER))));
        assertTrue(noVoter.getMessage().contains("at least one voter"));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.ofVoters(List.of("A", "A")));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parse("{\"members\":[{\"name\":\"A\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parse(
                "{\"members\":[{\"name\":\"A\",\"host\":null,\"role\":\"boss\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parse("not json"));
        assertEquals(ClusterConfig.ofVoters(List.of("A")),
                ClusterConfig.parse("{\"members\":[{\"name\":\"A\",\"host\":null,\"role\":\"voter\"}]}"));
    }
}

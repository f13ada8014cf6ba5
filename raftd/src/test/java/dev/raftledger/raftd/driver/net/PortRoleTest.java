package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of peer message travels to the port the seed (or protocol.md) fixes for it. */
class PortRoleTest {

    private static final Map<PeerMessage, PortRole> EXPECTED = Map.of(
            RequestVote.of(1, "Node1", -1, 0), PortRole.REQUEST_VOTE,
            new VoteAck(1, true, "Node2", "Node1"), PortRole.VOTE_ACK,
            new AppendEntry(1, "Node1", -1, 0, "Node1", List.of(), -1), PortRole.APPEND_ENTRY,
            AppendReply.accepted(1, "Node2", "Node1", 0), PortRole.APPEND_ENTRY,
            new TimeoutNow(1, "Node1", "Node2"), PortRole.APPEND_ENTRY,
            new InstallSnapshot(1, "Node1", 5, 1, 0, 3, 7, true, new byte[] {1, 2, 3}), PortRole.APPEND_ENTRY,
            new SnapshotAck(1, "Node2", "Node1", 5, 3), PortRole.APPEND_ENTRY);

    @Test
    void eachMessageKindHasItsPort() {
        EXPECTED.forEach((message, port) -> assertEquals(port, PortRole.of(message), message.request()));
    }

    @Test
    void everyKindOfPeerMessageIsCoveredAbove() {
        // a new kind of message fails here until it is given a port and a case above
        assertEquals(PeerMessage.class.getPermittedSubclasses().length,
                EXPECTED.keySet().stream().map(Object::getClass).distinct().count());
    }
}

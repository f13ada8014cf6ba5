package dev.raftledger.raftd.driver.net;

import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;

/** The four listeners of a node, one UDP port each. */
public enum PortRole {
    APPEND_ENTRY, REQUEST_VOTE, VOTE_ACK, CONTROLLER;

    public int port(Ports ports) {
        return switch (this) {
            case APPEND_ENTRY -> ports.appendEntry();
            case REQUEST_VOTE -> ports.requestVote();
            case VOTE_ACK -> ports.voteAck();
            case CONTROLLER -> ports.controller();
        };
    }

    /** The port a peer message travels to, as fixed by the seed. */
    public static PortRole of(PeerMessage m) {
        if (m instanceof RequestVote) {
            return REQUEST_VOTE;
        }
        if (m instanceof VoteAck) {
            return VOTE_ACK;
        }
        if (m instanceof AppendEntry || m instanceof AppendReply || m instanceof TimeoutNow
                || m instanceof InstallSnapshot || m instanceof SnapshotAck) {
            // replies travel back to the leader's AppendEntry port; TIMEOUT_NOW and snapshot
            // chunks come from the leader, like its AppendEntry
            return APPEND_ENTRY;
        }
        throw new IllegalArgumentException("no port for " + m.getClass());
    }
}

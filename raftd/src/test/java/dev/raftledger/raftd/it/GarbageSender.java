package dev.raftledger.raftd.it;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bad datagrams of every kind the protocol must survive: not JSON, wrong shapes and types,
 * empty and oversized, deeply nested, unknown requests, wrong ports, and well-formed messages
 * from names outside the cluster (with absurd terms, which would depose the leader if they
 * got through).
 */
final class GarbageSender {

    private GarbageSender() {}

    static List<byte[]> garbage() {
        List<byte[]> g = new ArrayList<>();
        for (String s : List.of(
                "", " ", "not json", "{", "[]", "null", "42", "\"VOTE_REQUEST\"",
                "{\"request\":\"FOO\"}",
                "{\"request\":null}",
                "{\"term\":\"abc\",\"candidateId\":\"Node2\",\"last_log_index\":-1,\"last_log_term\":0,"
                        + "\"sender_name\":\"Node2\",\"request\":\"VOTE_REQUEST\"}",
                "{\"term\":3.5,\"leaderId\":\"Node2\",\"prev_log_index\":-1,\"prev_log_term\":0,"
                        + "\"sender_name\":\"Node2\",\"request\":\"APPEND_RPC\"}",
                "{\"term\":[1],\"leaderId\":{},\"request\":\"APPEND_RPC\"}",
                "{\"vote\":1,\"from\":\"Node2\",\"to\":\"Node1\",\"request\":\"VOTE_ACK\"}",
                "{\"term\":99999,\"candidateId\":\"Mallory\",\"last_log_index\":1000,\"last_log_term\":99999,"
                        + "\"sender_name\":\"Mallory\",\"request\":\"VOTE_REQUEST\"}",
                "{\"term\":99999,\"leaderId\":\"Mallory\",\"prev_log_index\":-1,\"prev_log_term\":0,"
                        + "\"sender_name\":\"Mallory\",\"request\":\"APPEND_RPC\"}",
                "{\"vote\":1,\"from\":\"Mallory\",\"to\":\"Node1\",\"request\":\"VOTE_ACK\",\"term\":99999}",
                "{\"sender_name\":\"Controller\",\"request\":\"LEADER_INFO\",\"term\":\"x\",\"key\":null,\"value\":null}")) {
            g.add(s.getBytes(StandardCharsets.UTF_8));
        }
        g.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b, (byte) 0xc3, 0x28});
        g.add("[".repeat(5_000).getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[65_000];
        Arrays.fill(big, (byte) 'x');
        g.add(big);
        return g;
    }

    /** Sends every garbage datagram to every port of every node, {@code rounds} times. */
    static int sendBurst(ClusterSpec cluster, int rounds) throws IOException {
        List<byte[]> garbage = garbage();
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int r = 0; r < rounds; r++) {
                for (NodeAddress n : cluster.nodes()) {
                    for (InetSocketAddress target : List.of(n.appendEntry(), n.requestVote(), n.voteAck(), n.controller())) {
                        for (byte[] g : garbage) {
                            socket.send(new DatagramPacket(g, g.length, target));
                            sent++;
                        }
                    }
                }
            }
        }
        return sent;
    }
}

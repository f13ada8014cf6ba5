package dev.raftledger.common.client;

import dev.raftledger.common.wire.ControllerMessage;

/**
 * What one node said to a controller request: its reply, or why there is none
 * ({@code error} is "no reply within N ms", "unreadable reply: ...", and so on).
 */
public record Answer(String node, ControllerMessage reply, String error) {

    public static Answer of(String node, ControllerMessage reply) {
        return new Answer(node, reply, null);
    }

    public static Answer failed(String node, String error) {
        return new Answer(node, null, error);
    }

    public boolean answered() {
        return reply != null;
    }
}

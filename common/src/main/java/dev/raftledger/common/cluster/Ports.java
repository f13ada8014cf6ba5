package dev.raftledger.common.cluster;

/** The four UDP ports every node listens on (the same on every node, as in the seed). */
public record Ports(int appendEntry, int requestVote, int voteAck, int controller) {

    /** The seed's ports: 9000 AppendEntry, 9001 RequestVote, 9002 VoteAck, 5555 Controller. */
    public static final Ports SEED = new Ports(9000, 9001, 9002, 5555);

    public Ports {
        int[] all = {appendEntry, requestVote, voteAck, controller};
        for (int i = 0; i < all.length; i++) {
            if (all[i] < 1 || all[i] > 65535) {
                throw new IllegalArgumentException("port out of range 1-65535: " + all[i]);
            }
            for (int j = 0; j < i; j++) {
                if (all[i] == all[j]) {
                    throw new IllegalArgumentException("ports must differ, " + all[i] + " is given twice");
                }
            }
        }
    }
}

package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.FakeCluster;
import dev.raftledger.raftctl.FakeNode;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Five fake nodes whose cluster changes every few seconds (a node lost and back, an election, a
 * new leader), to look at {@code raftctl watch} in a real terminal without starting raftd. Not a
 * test. Prints the raftctl options that reach it, then runs until killed:
 *
 * <pre>
 * java -cp raftctl/target/test-classes:raftctl/target/classes:DEPENDENCIES dev.raftledger.raftctl.cluster.WatchDemo
 * java -cp ... dev.raftledger.raftctl.Main OPTIONS watch
 * </pre>
 *
 * (DEPENDENCIES: {@code mvn -o -q -pl raftctl -am dependency:build-classpath -Dmdep.outputFile=cp.txt}.)
 * The nodes are on 127.0.0.21-25, like every raftctl test's.
 */
final class WatchDemo {

    private static final Duration STEP = Duration.ofSeconds(4);

    private WatchDemo() {}

    public static void main(String[] args) throws Exception {
        try (FakeCluster cluster = FakeCluster.start(5)) {
            cluster.electLeader("Node1", 3);
            cluster.node("Node2").heartbeatAgeMs(97L);
            cluster.node("Node5").behind(2);
            System.out.println(String.join(" ", cluster.args()));
            System.out.flush();
            String leader = "Node1";
            long term = 3;
            for (int step = 0; ; step++) {
                pause();
                cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch " + step);
                String next = "Node" + (Integer.parseInt(leader.substring(4)) % 3 + 1);
                switch (step % 4) {
                    case 0: // a follower stops answering
                        cluster.node("Node4").replyWith(r -> null);
                        break;
                    case 1: // and comes back
                        cluster.node("Node4").replyWith(null);
                        break;
                    case 2: // the leader is cut off; the next node starts an election
                        term++;
                        cluster.node(leader).replyWith(r -> null);
                        for (FakeNode n : cluster.nodes()) {
                            n.leader(null).term(term).state(n.name().equals(next) ? "candidate" : "follower");
                        }
                        break;
                    default: // it wins; the old leader is back as a follower
                        cluster.electLeader(next, term);
                        cluster.node(leader).replyWith(null);
                        leader = next;
                        break;
                }
            }
        }
    }

    private static void pause() {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(deadline - System.nanoTime());
        }
    }
}

package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's schedule on five cores as raftd runs them (pre-vote, check-quorum, batches of one
 * 1400-byte datagram): a steady write load; two followers on lossy links (each message lost at
 * 25 %, both ways); then the leader paused for 3 s. With a majority up and connected, a leader is
 * kept: check-quorum steps one down only when it truly cannot reach a majority. (On the real
 * hosts leaders elected with 3 of 5 votes stepped down 400 ms later, 22 times in 120 s.)
 */
class LossyFollowersScenarioTest {

    private static final int SEEDS = 12;

    @Test
    void aLeaderIsKeptWhileAMajorityIsUpThoughTwoFollowersAreOnLossyLinks() {
        List<String> stepDowns = new ArrayList<>();
        long committed = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            CoreCluster c = new CoreCluster(CoreCluster.names(5), seed, new CoreCluster.Network(0, 0, 1, 5),
                    Timings.SEED, Limits.forDatagrams(1_170));
            writeFor(c, 2_000);
            for (String lossy : List.of("Node4", "Node5")) {
                for (String other : c.members()) {
                    if (!other.equals(lossy)) {
                        c.setLinkLoss(lossy, other, 0.25);
                    }
                }
            }
            writeFor(c, 6_000);
            String paused = c.leaders().isEmpty() ? "Node1" : c.leaders().get(0).name();
            c.crash(paused); // paused: nobody hears it for 3 s
            int before = c.stepDowns().size();
            writeFor(c, 3_000);
            c.restart(paused);
            writeFor(c, 10_000);
            stepDowns.addAll(c.stepDowns().subList(before, c.stepDowns().size()).stream()
                    .map(s -> "seed " + c.seed() + " " + s).toList());
            assertEquals(List.of(), c.violations(), "seed " + c.seed());
            assertEquals(1, c.leaders().size(), "seed " + c.seed() + ": a leader at the end");
            committed += c.committedCount();
        }
        assertTrue(committed > SEEDS * 500L, "the load was replicated: " + committed);
        // a majority (the two healthy followers and a leader, then the paused one back) was up and
        // connected all along: a step-down is a leader given up that a majority still followed.
        // (With check-quorum counting only the last 200 ms: 4 in these 12 runs; now none.)
        assertTrue(stepDowns.size() <= 1, stepDowns.size() + " step-downs in " + SEEDS + " runs: " + stepDowns);
    }

    /** Runs {@code ms} with a client write every 10 ms. */
    private static void writeFor(CoreCluster c, long ms) {
        for (long end = c.now() + ms; c.now() < end; ) {
            c.propose(1);
            c.runFor(10);
        }
    }
}

package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ClusterConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Whom a node knows and where it reaches them, as the configuration changes and as names
 * resolve to new addresses; whose datagrams it admits. The resolver is a fake whose answers the
 * test changes, the lookups run when the test says (a queue), the clock is the test's.
 */
class PeerDirectoryTest {

    private static final ClusterSpec CLUSTER = ClusterSpec.parse("Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3",
            Ports.SEED);

    private static ClusterConfig withNode6() {
        return ClusterConfig.parse("{\"members\":[{\"name\":\"Node1\",\"host\":\"127.0.0.1\",\"role\":\"voter\"},"
                + "{\"name\":\"Node3\",\"host\":\"10.0.0.3\",\"role\":\"voter\"},"
                + "{\"name\":\"Node6\",\"host\":\"127.0.0.6\",\"role\":\"learner\"}]}");
    }

    @Test
    void aConfigurationAddsMembersAndItsHostsWin() {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        assertFalse(d.knows("Node6"));
        assertEquals(new InetSocketAddress("127.0.0.3", 9000), d.address("Node3", PortRole.APPEND_ENTRY));

        d.update(withNode6());

        assertTrue(d.knows("Node6"));
        assertEquals(new InetSocketAddress("127.0.0.6", 9001), d.address("Node6", PortRole.REQUEST_VOTE));
        assertEquals(new InetSocketAddress("10.0.0.3", 9000), d.address("Node3", PortRole.APPEND_ENTRY),
                "the replicated host, not the resolved --cluster one");
        assertTrue(d.knows("Node2"), "--cluster members stay known (the core decides what they may do)");
    }

    @Test
    void anUnknownLeaderIsAnsweredWhereItSpokeFromUntilItsConfigurationArrives() throws Exception {
        PeerDirectory d = new PeerDirectory(CLUSTER);
        assertNull(d.address("Node6", PortRole.APPEND_ENTRY));

        d.learnSpeaker("Node6", InetAddress.getByName("127.0.0.66"));
        d.learnSpeaker("Node2", InetAddress.getByName("127.0.0.99")); // known: its configured host stays

        assertEquals(new InetSocketAddress("127.0.0.66", 9000), d.address("Node6", PortRole.APPEND_ENTRY));
        assertEquals("127.0.0.2", d.host("Node2"));
        assertFalse(d.knows("Node6"), "learning an address is not membership");
        d.update(withNode6());
        assertEquals(new InetSocketAddress("127.0.0.6", 9000), d.address("Node6", PortRole.APPEND_ENTRY));
    }

    // ---- live addresses: names looked up again, off the caller's thread ----------------------

    private static final ClusterSpec NAMED = ClusterSpec.parse("Node1=n1.test,Node2=n2.test,Node3=127.0.0.3,Self=self.test",
            Ports.SEED);

    /** A resolver whose answers the test sets, lookups that run when the test says, a clock it moves. */
    private static final class Rig {
        final Map<String, String> answers = new HashMap<>();
        final Map<String, Integer> asked = new HashMap<>();
        final Queue<Runnable> pending = new ArrayDeque<>();
        final AtomicLong now = new AtomicLong(1_000_000);
        final PeerDirectory d = new PeerDirectory(NAMED, "Self", this::lookup, pending::add, now::get);

        InetAddress[] lookup(String host) throws UnknownHostException {
            asked.merge(host, 1, Integer::sum);
            String a = answers.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            String[] parts = a.split(" ");
            InetAddress[] out = new InetAddress[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = InetAddress.getByName(parts[i]);
            }
            return out;
        }

        /** Runs the lookups started so far. */
        void runLookups() {
            for (Runnable r = pending.poll(); r != null; r = pending.poll()) {
                r.run();
            }
        }

        int asked(String host) {
            return asked.getOrDefault(host, 0);
        }

        void advance(long ms) {
            now.addAndGet(ms);
        }
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void aNameIsLookedUpOffTheCallersThreadAndItsDatagramsHaveNoAddressUntilItAnswers() {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32");

        assertNull(r.d.address("Node2", PortRole.APPEND_ENTRY), "no answer yet: nothing to send to, nothing waited for");
        assertEquals(0, r.asked("n2.test"), "the lookup is handed to the executor, not run here");
        assertEquals(1, r.pending.size());
        assertNull(r.d.address("Node2", PortRole.APPEND_ENTRY));
        assertEquals(1, r.pending.size(), "at most one lookup in flight per peer");

        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.32", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY));
        assertEquals(new InetSocketAddress("127.0.0.3", 9001), r.d.address("Node3", PortRole.REQUEST_VOTE));
        r.advance(60_000);
        r.d.refresh();
        r.runLookups();
        assertEquals(0, r.asked("127.0.0.3"), "a literal address is never looked up");
        assertEquals(0, r.asked("self.test"), "nor this node's own name");
    }

    @Test
    void aSilentPeersNameIsLookedUpAgainWithinTheSilentBoundAndTheNewAnswerIsUsedAtOnce() throws Exception {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32");
        r.d.address("Node2", PortRole.APPEND_ENTRY);
        r.runLookups();
        r.answers.put("n2.test", "127.0.0.36"); // Node2 came back elsewhere; nothing heard from it since

        r.advance(PeerDirectory.SILENT_REFRESH_MS - 1);
        r.d.refresh();
        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.32", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY),
                "not looked up again before the bound");
        r.advance(1);
        r.d.refresh();
        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.36", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY),
                "a silent peer is looked up again within " + PeerDirectory.SILENT_REFRESH_MS + " ms");
        assertTrue(r.d.admits("Node2", ip("127.0.0.36")));
        assertFalse(r.d.admits("Node2", ip("127.0.0.32")), "its old address is not its any more");
    }

    @Test
    void aHeardPeersNameIsStillLookedUpAgainWithinTheHealthyBound() throws Exception {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32");
        r.d.address("Node2", PortRole.APPEND_ENTRY);
        r.runLookups();
        r.answers.put("n2.test", "127.0.0.36");
        long elapsed = 0;
        while (elapsed < PeerDirectory.HEALTHY_REFRESH_MS - PeerDirectory.SILENT_AFTER_MS) {
            assertTrue(r.d.admits("Node2", ip("127.0.0.32")), "heard at " + elapsed + " ms");
            r.advance(PeerDirectory.SILENT_AFTER_MS / 2);
            elapsed += PeerDirectory.SILENT_AFTER_MS / 2;
            r.d.refresh();
            r.runLookups();
        }
        assertEquals(1, r.asked("n2.test"), "a peer that is heard is not looked up every few seconds");
        while (elapsed < PeerDirectory.HEALTHY_REFRESH_MS) {
            r.d.admits("Node2", ip("127.0.0.32"));
            r.advance(PeerDirectory.SILENT_AFTER_MS / 2);
            elapsed += PeerDirectory.SILENT_AFTER_MS / 2;
            r.d.refresh();
            r.runLookups();
        }
        assertEquals(new InetSocketAddress("127.0.0.36", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY),
                "within " + PeerDirectory.HEALTHY_REFRESH_MS + " ms even while heard");
    }

    @Test
    void aFailureToSendAsksForALookupAtOnceButNotMoreOftenThanTheGap() {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32");
        r.d.address("Node2", PortRole.APPEND_ENTRY);
        r.runLookups();
        r.answers.put("n2.test", "127.0.0.36");
        r.advance(PeerDirectory.TRIGGERED_GAP_MS);

        r.d.sendFailed("Node2");
        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.36", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY),
                "a failure to send is followed by a lookup, without waiting for the tick");
        r.d.sendFailed("Node2");
        r.runLookups();
        assertEquals(2, r.asked("n2.test"), "triggered lookups of one peer are at least "
                + PeerDirectory.TRIGGERED_GAP_MS + " ms apart");
    }

    @Test
    void aFailedLookupKeepsTheLastAnswerAndAnUnresolvablePeerIsRetried() {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32");
        r.d.address("Node2", PortRole.APPEND_ENTRY);
        r.d.address("Node1", PortRole.APPEND_ENTRY); // n1.test does not resolve
        r.runLookups();
        r.answers.remove("n2.test"); // the resolver is down for it
        r.advance(PeerDirectory.SILENT_REFRESH_MS);
        r.d.refresh();
        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.32", 9000), r.d.address("Node2", PortRole.APPEND_ENTRY),
                "a resolver outage does not cut a peer that has not moved");
        assertNull(r.d.address("Node1", PortRole.APPEND_ENTRY));
        assertEquals(2, r.asked("n1.test"));
        r.answers.put("n1.test", "127.0.0.31");
        r.advance(PeerDirectory.SILENT_REFRESH_MS);
        r.d.refresh();
        r.runLookups();
        assertEquals(new InetSocketAddress("127.0.0.31", 9002), r.d.address("Node1", PortRole.VOTE_ACK));
    }

    @Test
    void aMembersDatagramIsAdmittedOnlyFromAnAddressOfItsHostAndAnUnexpectedOneAsksForALookup() throws Exception {
        Rig r = new Rig();
        r.answers.put("n2.test", "127.0.0.32 127.0.0.42");
        r.d.address("Node2", PortRole.APPEND_ENTRY);
        r.runLookups();

        assertTrue(r.d.admits("Node2", ip("127.0.0.32")));
        assertTrue(r.d.admits("Node2", ip("127.0.0.42")), "a name with several addresses admits any of them");
        assertTrue(r.d.admits("Node3", ip("127.0.0.3")));
        assertFalse(r.d.admits("Node3", ip("127.0.0.39")), "a literal host admits only itself");
        assertFalse(r.d.admits("Node2", ip("127.0.0.39")), "a forged source");
        assertFalse(r.d.admits("Node6", ip("127.0.0.39")), "an unknown name");
        assertFalse(r.d.admits("Node1", ip("127.0.0.31")), "a name with no answer yet admits nothing");

        r.advance(PeerDirectory.TRIGGERED_GAP_MS);
        r.answers.put("n2.test", "127.0.0.39"); // it really moved
        assertFalse(r.d.admits("Node2", ip("127.0.0.39")));
        r.runLookups();
        assertTrue(r.d.admits("Node2", ip("127.0.0.39")), "admitted as soon as the resolver agrees");
        int asked = r.asked("n2.test");
        for (int i = 0; i < 1000; i++) {
            r.d.admits("Node2", ip("127.0.0.99"));
            r.runLookups();
        }
        assertEquals(asked, r.asked("n2.test"), "a flood from a forged source buys no lookups within the gap");
    }

    @Test
    void aLearnedLeaderIsAdmittedFromWhereItSpoke() throws Exception {
        Rig r = new Rig();
        r.d.learnSpeaker("Node6", ip("127.0.0.66"));
        assertTrue(r.d.admits("Node6", ip("127.0.0.66")));
        assertFalse(r.d.admits("Node6", ip("127.0.0.67")));
        assertTrue(r.pending.isEmpty(), "a learned address is a literal: nothing to look up");
    }
}

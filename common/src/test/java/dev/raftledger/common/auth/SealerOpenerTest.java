package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The sealed format against every way a datagram can be wrong (issue 14's hostile list). */
class SealerOpenerTest {

    static final String K1 = "0123456789abcdef0123456789abcdef";
    static final String K2 = "fedcba9876543210fedcba9876543210";
    static final String ALICE = "a11cea11cea11cea11cea11cea11cea1";
    private static final byte[] MSG = "{\"request\":\"EXPENSE\",\"value\":{\"payer\":\"Zebulon\",\"amount\":\"4242.17\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final long started = clock.get() - 1_000;
    private final AtomicReference<Keyring> installed = new AtomicReference<>(ring(List.of(K1)));

    static Keyring ring(List<String> nodeSecrets) {
        return Keyring.of(nodeSecrets, Map.of("alice", Map.entry(Role.CLERK, ALICE)));
    }

    /**
     * Seeds never repeat within a run: two sealers with one seed would draw the same session and
     * so seal counter 1 under the same key and nonce, which the JDK's GCM refuses on one thread.
     */
    private static final AtomicLong SEEDS = new AtomicLong();

    private Sealer sealer() {
        return new Sealer(new Random(SEEDS.incrementAndGet()), clock::get);
    }

    private Opener opener() {
        return new Opener(installed::get, clock::get, started, "Node1");
    }

    private Key node(String secret) {
        return ring(List.of(secret)).primary();
    }

    @Test
    void aSealedDatagramOpensToTheSameMessageAndNamesItsKey() throws Exception {
        byte[] sealed = sealer().seal(node(K1), MSG, "Node1");
        Opened o = opener().open(sealed, 0, sealed.length);
        assertArrayEquals(MSG, o.message());
        assertEquals(node(K1).fingerprint(), o.key().fingerprint());
        assertTrue(o.identity().node());
        assertEquals(MSG.length + ClusterAuth.SEAL_OVERHEAD, sealed.length, "a fixed overhead, whatever the message");
    }

    @Test
    void noExpenseFieldIsInClear() {
        byte[] sealed = sealer().seal(node(K1), MSG, "Node1");
        String bytes = new String(sealed, StandardCharsets.ISO_8859_1);
        for (String clear : List.of("Zebulon", "4242.17", "EXPENSE", "payer", "request")) {
            assertFalse(bytes.contains(clear), clear + " in clear");
        }
    }

    @Test
    void anOperatorsDatagramNamesTheOperatorAndRole() throws Exception {
        Key alice = installed.get().find(Key.fingerprint(ALICE.getBytes(StandardCharsets.UTF_8)));
        byte[] sealed = sealer().seal(alice, MSG, "Node1");
        Identity who = opener().open(sealed, 0, sealed.length).identity();
        assertEquals(Identity.operator("alice", Role.CLERK), who);
        assertFalse(who.node());
    }

    @Test
    void aDatagramUnderAWrongKeyIsRefused() {
        byte[] sealed = sealer().seal(node(K2), MSG, "Node1");
        AuthException e = assertThrows(AuthException.class, () -> opener().open(sealed, 0, sealed.length));
        assertTrue(e.getMessage().contains("not installed here"), e.getMessage());
    }

    @Test
    void aKeyRemovedFromTheKeyringIsRefusedFromThenOn() throws Exception {
        installed.set(ring(List.of(K2, K1)));
        Opener o = opener();
        Sealer s = sealer();
        byte[] before = s.seal(node(K1), MSG, "Node1");
        o.open(before, 0, before.length);
        installed.set(ring(List.of(K2)));
        byte[] after = s.seal(node(K1), MSG, "Node1");
        assertThrows(AuthException.class, () -> o.open(after, 0, after.length));
        byte[] underNew = s.seal(node(K2), MSG, "Node1");
        assertArrayEquals(MSG, o.open(underNew, 0, underNew.length).message());
    }

    @Test
    void aDatagramSealedForOneNodeOpensAtNoOther() throws Exception {
        byte[] forNode1 = sealer().seal(node(K1), MSG, "Node1");
        Opener node2 = new Opener(installed::get, clock::get, started, "Node2");
        AuthException e = assertThrows(AuthException.class, () -> node2.open(forNode1, 0, forNode1.length));
        assertTrue(e.getMessage().contains("sealed for another node"), e.getMessage());
        Opener client = new Opener(installed::get, clock::get, started, ClusterAuth.CLIENT);
        assertThrows(AuthException.class, () -> client.open(forNode1, 0, forNode1.length), "nor at a client");
        assertArrayEquals(MSG, opener().open(forNode1, 0, forNode1.length).message(), "Node1 opens it");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] sealed = sealer().seal(node(K1), MSG, "Node1");
        Opener o = opener();
        for (int len = 0; len < sealed.length; len++) {
            int n = len;
            assertThrows(AuthException.class, () -> o.open(sealed, 0, n), "truncated to " + len);
        }
    }

    @Test
    void everySingleBitFlipIsRefused() throws Exception {
        Sealer s = sealer();
        Opener o = opener();
        byte[] sealed = s.seal(node(K1), MSG, "Node1");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] flipped = sealed.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(AuthException.class, () -> o.open(flipped, 0, flipped.length), "bit " + bit);
        }
        assertArrayEquals(MSG, o.open(sealed, 0, sealed.length).message(), "the original still opens, once");
    }

    @Test
    void aForgedCopySentFirstDoesNotGetTheRealDatagramRefused() throws Exception {
        byte[] real = sealer().seal(node(K1), MSG, "Node1");
        byte[] forged = real.clone();
        forged[forged.length - 1] ^= 1; // the same header, key and nonce; a bad tag
        Opener o = opener();
        assertThrows(AuthException.class, () -> o.open(forged, 0, forged.length));
        assertArrayEquals(MSG, o.open(real, 0, real.length).message());
        AuthException again = assertThrows(AuthException.class, () -> o.open(real, 0, real.length));
        assertTrue(again.getMessage().contains("replay"), again.getMessage());
    }

    @Test
    void aReplayIsRefusedAndReorderingIsNot() throws Exception {
        Sealer s = sealer();
        Opener o = opener();
        byte[][] d = new byte[100][];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.seal(node(K1), MSG, "Node1");
        }
        for (int i = d.length - 1; i >= 0; i--) {
            o.open(d[i], 0, d[i].length); // backwards: all within the window
        }
        for (byte[] x : d) {
            assertThrows(AuthException.class, () -> o.open(x, 0, x.length));
        }
    }

    @Test
    void aReplayAfterTheReceiverRestartsIsRefused() throws Exception {
        Sealer s = sealer();
        byte[] captured = s.seal(node(K1), MSG, "Node1");
        opener().open(captured, 0, captured.length);
        clock.addAndGet(2_000); // the receiver restarts: a new process, with no memory of windows
        Opener restarted = new Opener(installed::get, clock::get, clock.get() - 500, "Node1");
        AuthException e = assertThrows(AuthException.class, () -> restarted.open(captured, 0, captured.length));
        assertTrue(e.getMessage().contains("before this process started"), e.getMessage());
        byte[] fresh = s.seal(node(K1), MSG, "Node1");
        assertArrayEquals(MSG, restarted.open(fresh, 0, fresh.length).message());
    }

    @Test
    void aReplayAfterTheSenderRestartsIsRefusedAndItsNewSessionIsTaken() throws Exception {
        Opener o = opener();
        Sealer before = sealer();
        byte[] old = before.seal(node(K1), MSG, "Node1");
        o.open(old, 0, old.length);
        Sealer after = sealer(); // a new process: a new session, its counter from 1 again
        byte[] fresh = after.seal(node(K1), MSG, "Node1");
        assertArrayEquals(MSG, o.open(fresh, 0, fresh.length).message());
        assertThrows(AuthException.class, () -> o.open(old, 0, old.length));
        assertFalse(Arrays.equals(before.sessionId(node(K1)), after.sessionId(node(K1))));
    }

    @Test
    void countersStartingAgainNeverMeetTheSameKey() {
        // two processes, counter 1 each: the ciphertexts of one message differ (different session keys)
        byte[] a = sealer().seal(node(K1), MSG, "Node1");
        byte[] b = sealer().seal(node(K1), MSG, "Node1");
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, Sealed.HEADER_BYTES, a.length),
                Arrays.copyOfRange(b, Sealed.HEADER_BYTES, b.length)));
    }

    @Test
    void aDatagramTooFarFromOurClockIsRefused() {
        Sealer s = sealer();
        clock.addAndGet(Opener.WINDOW_MS + 1);
        byte[] future = s.seal(node(K1), MSG, "Node1");
        clock.addAndGet(-(Opener.WINDOW_MS + 1));
        assertThrows(AuthException.class, () -> opener().open(future, 0, future.length));
    }

    @Test
    void plainJsonIsRefusedWithAReasonThatSaysSo() {
        AuthException e = assertThrows(AuthException.class, () -> opener().open(MSG, 0, MSG.length));
        assertTrue(e.getMessage().contains("plain JSON"), e.getMessage());
    }

    @Test
    void anotherFormatVersionIsRefused() {
        byte[] sealed = sealer().seal(node(K1), MSG, "Node1");
        sealed[1] = 3;
        AuthException e = assertThrows(AuthException.class, () -> opener().open(sealed, 0, sealed.length));
        assertTrue(e.getMessage().contains("format 3"), e.getMessage());
    }

    @Test
    void clusterAuthRepliesWithTheRequestsKeyAndFallsBackToThePrimary() throws Exception {
        ClusterAuth auth = ClusterAuth.with(ring(List.of(K2, K1)), "Node1", clock::get, started);
        Key k1 = auth.keyring().nodeKeys().get(1);
        byte[] reply = auth.sealWith(k1, MSG, "Node1");
        assertEquals(k1.fingerprint(), auth.open(reply, 0, reply.length).key().fingerprint());
        auth.reload(ring(List.of(K2)));
        byte[] fallback = auth.sealWith(k1, MSG, "Node1");
        assertEquals(auth.keyring().primary().fingerprint(), auth.open(fallback, 0, fallback.length).key().fingerprint());
        assertNotEquals(k1.fingerprint(), auth.keyring().primary().fingerprint());
    }

    @Test
    void withoutAKeyMessagesArePlainAndComeFromNoOne() throws Exception {
        ClusterAuth none = ClusterAuth.none();
        assertSame(MSG, none.seal(MSG, "Node1"));
        Opened o = none.open(MSG, 0, MSG.length);
        assertArrayEquals(MSG, o.message());
        assertEquals(null, o.identity());
    }
}

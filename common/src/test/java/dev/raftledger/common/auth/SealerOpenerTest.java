package dev.raftledger.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealerOpenerTest {

    @TempDir
    Path dir;

    private ClusterKey key;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private static final byte[] MSG = "{\"request\":\"LEADER_INFO\",\"sender_name\":\"Controller\"}"
            .getBytes(StandardCharsets.UTF_8);

    static ClusterKey key(Path dir, String name, String secret) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, secret + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return ClusterKey.load(f);
    }

    @BeforeEach
    void setUp() throws Exception {
        key = key(dir, "key", "0123456789abcdef0123456789abcdef");
    }

    private Sealer sealer() {
        return new Sealer(key, new Random(1), clock::get);
    }

    private Opener opener() {
        return new Opener(key, clock::get);
    }

    private static byte[] open(Opener o, byte[] d) throws AuthException {
        return o.open(d, 0, d.length);
    }

    @Test
    void aSealedDatagramOpensToTheSameMessage() throws Exception {
        byte[] sealed = sealer().seal(MSG);
        assertArrayEquals(MSG, open(opener(), sealed));
    }

    @Test
    void aReplayedDatagramIsRefused() throws Exception {
        byte[] sealed = sealer().seal(MSG);
        Opener o = opener();
        open(o, sealed);
        AuthException e = assertThrows(AuthException.class, () -> open(o, sealed));
        assertTrue(e.getMessage().contains("replayed"), e.getMessage());
    }

    @Test
    void reorderedDatagramsWithinTheWindowAreAcceptedOnce() throws Exception {
        Sealer s = sealer();
        byte[][] d = new byte[10][];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.seal(MSG);
        }
        Opener o = opener();
        for (int i : new int[] {3, 0, 9, 1, 2, 8, 4, 7, 5, 6}) {
            open(o, d[i]);
        }
        for (byte[] again : d) {
            assertThrows(AuthException.class, () -> open(o, again));
        }
    }

    @Test
    void aDatagramFarBehindTheNewestIsRefused() throws Exception {
        Sealer s = sealer();
        byte[] first = s.seal(MSG);
        Opener o = opener();
        for (int i = 0; i < 100; i++) {
            open(o, s.seal(MSG));
        }
        assertThrows(AuthException.class, () -> open(o, first), "64 behind: cannot tell it from a replay");
    }

    @Test
    void anAlteredMessageOrHeaderIsRefused() throws Exception {
        byte[] sealed = sealer().seal(MSG);
        String text = new String(sealed, StandardCharsets.UTF_8);
        for (String[] change : new String[][] {
                {"LEADER_INFO", "SHUTDOWN___"}, {"\"ctr\":1", "\"ctr\":2"}, {"\"v\":1", "\"v\":2"}}) {
            byte[] forged = text.replace(change[0], change[1]).getBytes(StandardCharsets.UTF_8);
            assertThrows(AuthException.class, () -> open(opener(), forged), change[0]);
        }
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        byte[] sealed = new Sealer(key(dir, "other", "ffffffffffffffffffffffffffffffff"), new Random(2), clock::get).seal(MSG);
        AuthException e = assertThrows(AuthException.class, () -> open(opener(), sealed));
        assertTrue(e.getMessage().contains("bad MAC"), e.getMessage());
    }

    @Test
    void anOldOrFutureTimestampIsRefused() throws Exception {
        byte[] sealed = sealer().seal(MSG);
        clock.addAndGet(Opener.WINDOW_MS + 1);
        assertThrows(AuthException.class, () -> open(opener(), sealed));
        clock.addAndGet(-2 * (Opener.WINDOW_MS + 1));
        assertThrows(AuthException.class, () -> open(opener(), sealed));
    }

    @Test
    void plainJsonAndGarbageAreRefused() {
        Opener o = opener();
        for (String s : new String[] {new String(MSG, StandardCharsets.UTF_8), "", "{}", "{\"auth\":{},\"msg\":\"{}\"}",
                "[1]", "{\"auth\":{\"v\":1,\"sid\":\"zz\",\"ctr\":1,\"ts\":1,\"mac\":\"x\"},\"msg\":\"{}\"}"}) {
            byte[] d = s.getBytes(StandardCharsets.UTF_8);
            assertThrows(AuthException.class, () -> open(o, d), s);
        }
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path f = dir.resolve("loose");
        Files.writeString(f, "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        AuthException e = assertThrows(AuthException.class, () -> ClusterKey.load(f));
        assertTrue(e.getMessage().contains("only by its owner"), e.getMessage());
    }

    @Test
    void aShortKeyIsRefused() throws Exception {
        assertThrows(AuthException.class, () -> key(dir, "short", "tooshort"));
    }

    @Test
    void theSealedFormIsOneJsonObjectWithAuthAndMsg() throws Exception {
        var tree = Codec.readTree(sealer().seal(MSG));
        assertTrue(tree.get("auth").get("mac").asText().matches("[0-9a-f]{64}"));
        assertTrue(tree.get("msg").isTextual());
    }
}

package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sessions expire from the time the leader stamps into the log (Raft thesis 6.3): identically on
 * every replica, across snapshots, never un-expired by a leader whose clock is behind, and a
 * retry for an expired session is refused SESSION_EXPIRED rather than applied a second time.
 */
class SessionExpiryTest {

    private static final long HOUR = 3_600_000;
    private static final long TTL = 24 * HOUR;
    /** 2026-12-07T00:00:00Z, a leader's wall clock. */
    private static final long T0 = 1_796_601_600_000L;

    private static Ledger.Stamp at(long time) {
        return new Ledger.Stamp(time, TTL);
    }

    @Test
    void aSessionIdleLongerThanTheTtlExpiresAndOnlyThatOne() {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("old", 1));
        l.apply(1, 1, at(T0 + HOUR), lunch("newer", 1));
        assertEquals(2, l.sessionCount());
        // idle exactly the TTL: kept (it expires when idle longer)
        l.apply(2, 1, at(T0 + TTL), lunch("third", 1));
        assertEquals(3, l.sessionCount());
        assertEquals(0, l.sessionsExpired());
        l.apply(3, 1, at(T0 + TTL + 1), lunch("fourth", 1));
        assertFalse(l.session("old").isPresent(), "idle 24 h + 1 ms: expired");
        assertTrue(l.session("newer").isPresent());
        assertEquals(3, l.sessionCount());
        assertEquals(1, l.sessionsExpired());
        assertEquals(T0 + TTL + 1, l.clock());
        assertEquals(TTL, l.sessionTtlMs());
        assertEquals(3 * Ledger.SESSION_BYTES_ESTIMATE, l.sessionBytesEstimate());
        // the expenses stay: only the dedup table forgets
        assertEquals(4, l.size());
    }

    @Test
    void writingKeepsASessionAlive() {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("busy", 1));
        l.apply(1, 1, at(T0), lunch("idle", 1));
        l.apply(2, 1, at(T0 + 20 * HOUR), lunch("busy", 2));
        // a retry counts as activity too
        l.apply(3, 1, at(T0 + 30 * HOUR), lunch("busy", 2));
        l.apply(4, 1, at(T0 + 50 * HOUR), lunch("other", 1));
        assertEquals(T0 + 30 * HOUR, l.session("busy").orElseThrow().lastActive());
        assertFalse(l.session("idle").isPresent());
        l.apply(5, 1, at(T0 + 54 * HOUR + 1), lunch("other", 2));
        assertFalse(l.session("busy").isPresent());
        assertEquals(1, l.sessionCount());
    }

    @Test
    void aRetryForAnExpiredSessionIsRefusedAndNotAppliedAgain() throws Exception {
        Ledger l = new Ledger();
        LedgerResult first = l.apply(0, 1, at(T0), lunch("c", 1));
        LedgerCommand second = lunch("c", 2);
        assertTrue(l.apply(1, 1, at(T0 + HOUR), second).ok());
        l.apply(2, 1, at(T0 + HOUR + TTL + 1), lunch("someone", 1));
        assertFalse(l.session("c").isPresent());
        int expenses = l.size();
        String digest = l.stateDigest();

        // the retry of seq 2 (its reply was lost a day ago): refused, nothing changes
        LedgerResult retry = l.apply(3, 1, at(T0 + HOUR + TTL + 2), second);
        assertFalse(retry.ok());
        assertEquals(ErrorCode.SESSION_EXPIRED, retry.error());
        assertTrue(retry.message().contains("client c has no session for seq 2: its session expired after 24 h"),
                retry.message());
        assertEquals(expenses, l.size());
        assertFalse(l.session("c").isPresent(), "a refusal for an unknown session is not remembered");
        // only the applied index and clock moved
        assertNotEquals(digest, l.stateDigest());
        Ledger same = Ledger.fromSnapshot(l.toSnapshot());
        assertEquals(l.stateDigest(), same.stateDigest());
        // as JSON through the log, the same answer; and a later write of the same client too
        ObjectNode entry = LedgerCodec.stamped(LedgerCodec.commandToJson(lunch("c", 3)), at(T0 + HOUR + TTL + 3));
        assertEquals(ErrorCode.SESSION_EXPIRED, l.apply(4, 1, Codec.readTree(Codec.toBytes(entry))).error());
        assertEquals(expenses, l.size());
        // a new client (seq 1) is a new session, as ever
        assertTrue(l.apply(5, 1, at(T0 + HOUR + TTL + 4), lunch("fresh", 1)).ok());
        assertTrue(first.ok());
    }

    @Test
    void beforeAnySessionExpiredAnUnknownClientMayStartAboveSeqOne() {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("a", 1));
        assertTrue(l.apply(1, 1, at(T0 + 1), lunch("b", 7)).ok(), "nothing can have expired: a new client");
        l.apply(2, 1, at(T0 + 2 * TTL), lunch("c", 1));
        assertEquals(ErrorCode.SESSION_EXPIRED, l.apply(3, 1, at(T0 + 2 * TTL), lunch("d", 7)).error());
    }

    @Test
    void theClockNeverGoesBackWhenALeadersClockIsBehind() {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0 + 10 * HOUR), lunch("a", 1));
        l.apply(1, 2, at(T0 + 40 * HOUR), lunch("b", 1)); // a expires here
        assertFalse(l.session("a").isPresent());
        // the next leader's clock is two days behind: the clock stays, a stays expired
        l.apply(2, 3, at(T0), lunch("c", 1));
        assertEquals(T0 + 40 * HOUR, l.clock());
        assertEquals(T0 + 40 * HOUR, l.session("c").orElseThrow().lastActive(), "active at the ledger's clock");
        assertEquals(ErrorCode.SESSION_EXPIRED, l.apply(3, 3, at(T0), lunch("a", 2)).error());
        // and sessions written under it still expire by the ledger's clock
        l.apply(4, 4, at(T0 + 64 * HOUR + 1), lunch("d", 1));
        assertFalse(l.session("b").isPresent());
        assertFalse(l.session("c").isPresent());
        assertEquals(3, l.sessionsExpired());
    }

    @Test
    void entriesWithoutAStampMoveNoTimeAndATtlOfZeroNeverExpires() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("a", 1));
        // an entry written before stamps existed, a no-op: the clock stays
        l.apply(1, 1, Codec.readTree(Codec.toBytes(LedgerCodec.commandToJson(lunch("b", 1)))));
        l.applyNoop(2, 1);
        assertEquals(T0, l.clock());
        assertEquals(T0, l.session("b").orElseThrow().lastActive());
        // TTL 0: nothing expires however much time passes
        l.apply(3, 1, new Ledger.Stamp(T0 + 1000 * TTL, 0), lunch("c", 1));
        assertEquals(3, l.sessionCount());
        assertEquals(0, l.sessionsExpired());
        // the TTL is the last stamp's: a shorter one applies at once
        l.apply(4, 1, new Ledger.Stamp(T0 + 1000 * TTL, HOUR), lunch("d", 1));
        assertEquals(2, l.sessionCount());
    }

    @Test
    void aBadStampIsARefusedCommandAndMovesNothing() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("a", 1));
        ObjectNode noTtl = LedgerCodec.commandToJson(lunch("b", 1));
        noTtl.put("time", T0 + 2 * TTL);
        LedgerResult r = l.apply(1, 1, Codec.readTree(Codec.toBytes(noTtl)));
        assertEquals(ErrorCode.INVALID, r.error());
        assertEquals("session_ttl: is required with time", r.message());
        ObjectNode negative = LedgerCodec.stamped(LedgerCodec.commandToJson(lunch("b", 2)), at(T0));
        negative.put("time", -5);
        assertEquals(ErrorCode.INVALID, l.apply(2, 1, Codec.readTree(Codec.toBytes(negative))).error());
        assertEquals(T0, l.clock());
        assertTrue(l.session("a").isPresent());
        // a client cannot set the time: its command must not carry a stamp
        ObjectNode fromClient = LedgerCodec.stamped(LedgerCodec.commandToJson(lunch("x", 1)), at(T0 + 99 * TTL));
        LedgerException e = assertThrows(LedgerException.class, () -> LedgerCodec.commandFromJson(fromClient));
        assertTrue(e.getMessage().contains("unknown field 'time'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ledger.Stamp(-1, TTL));
        assertThrows(IllegalArgumentException.class, () -> new Ledger.Stamp(0, TTL));
    }

    @Test
    void aSnapshotCarriesTheClockTheTtlAndEachSessionsLastActivity() throws Exception {
        Ledger l = new Ledger();
        l.apply(0, 1, at(T0), lunch("a", 1));
        l.apply(1, 1, at(T0 + HOUR), lunch("b", 1));
        l.apply(2, 1, at(T0 + TTL + 2), lunch("z", 1)); // a expires
        ObjectNode s = l.toSnapshot();
        assertEquals(2, s.get("format").intValue());
        assertEquals(T0 + TTL + 2, s.get("clock").longValue());
        assertEquals(TTL, s.get("session_ttl").longValue());
        assertEquals(1, s.get("sessions_expired").longValue());
        assertEquals(T0 + HOUR, s.get("sessions").get(0).get("last_active").longValue());
        Ledger back = Ledger.fromSnapshot(s);
        assertEquals(l.stateDigest(), back.stateDigest());
        // the restored one expires b at the same entry as the original
        LedgerCommand next = lunch("y", 1);
        Ledger.Stamp later = at(T0 + HOUR + TTL + 1);
        assertEquals(l.apply(3, 1, later, next), back.apply(3, 1, later, next));
        assertFalse(back.session("b").isPresent());
        assertEquals(l.stateDigest(), back.stateDigest());

        // inconsistent: a session active after the clock, a missing last_active
        String text = Codec.toJson(l.toSnapshot());
        Fixtures.refused("last_active", "after the clock",
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace("\"last_active\":" + (T0 + TTL + 2),
                        "\"last_active\":" + (T0 + 9 * TTL)))));
        Fixtures.refused("last_active", "required in format 2",
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace(",\"last_active\":" + (T0 + TTL + 2), ""))));
        Fixtures.refused("clock", "is 0 (no stamp applied) but session_ttl is 86400000",
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace("\"clock\":" + (T0 + HOUR + TTL + 1),
                        "\"clock\":0").replaceAll("\"last_active\":[0-9]+", "\"last_active\":0"))));
        Fixtures.refused("clock", "is required",
                () -> Ledger.fromSnapshot(Codec.readTree(text.replace("\"clock\":" + (T0 + HOUR + TTL + 1) + ",", ""))));
    }

    /** A snapshot written by the code before sessions expired (format 1), kept as a file. */
    @Test
    void aFormatOneSnapshotIsReadAndItsSessionsCountAsActiveAtTheFirstStamp() throws Exception {
        Ledger old;
        try (InputStream in = getClass().getResourceAsStream("snapshot-format1.json")) {
            old = Ledger.readSnapshot(in);
        }
        // the very state the old code had: the digest it printed when it wrote the file
        assertEquals("2f09e17aea7f37990609a5ac2c1ef0017cc20de1e9c8ba5832f749c5cf08bcf0", old.stateDigest());
        assertEquals(5, old.appliedIndex());
        assertEquals(3, old.size());
        assertEquals(4, old.sessionCount());
        assertEquals(0, old.clock());
        assertEquals(0, old.sessionTtlMs());
        assertEquals(2, old.session("shell").orElseThrow().seq());
        assertEquals(0, old.session("shell").orElseThrow().lastActive());
        // without a clock it still writes format 1, byte for byte the old code's document
        try (InputStream in = getClass().getResourceAsStream("snapshot-format1.json")) {
            assertEquals(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    Codec.toJson(old.toSnapshot()));
        }
        // a retry from before the upgrade still gets its first answer
        LedgerResult retry = old.apply(6, 2, at(T0), edit("shell", 2, "E0", ExpenseChanges.NONE.withPayer("bo")));
        assertTrue(retry.ok());
        assertEquals(3, old.session("shell").orElseThrow().result().expense().updatedIndex());
        // the first stamp does not expire them at once (they were not idle since 1970) ...
        assertEquals(4, old.sessionCount());
        assertEquals(T0, old.session("raftctl-aaaaaaaaaaaa").orElseThrow().lastActive());
        assertEquals(2, old.toSnapshot().get("format").intValue(), "with a clock: format 2");
        assertEquals(old.stateDigest(), Ledger.fromSnapshot(old.toSnapshot()).stateDigest());
        // ... a TTL later it does
        old.apply(7, 2, at(T0 + TTL + 1), delete("late", 1, "E1"));
        assertEquals(1, old.sessionCount());
        assertEquals(4, old.sessionsExpired());
    }

    /**
     * Replicas fed the same stamped log (leaders' clocks jumping ahead and falling behind, long
     * idle spells, retries of expired writes) agree on every result and every digest, a replica
     * restored from a snapshot mid-way included; and the run exercises expiry and refusals.
     */
    @Test
    void aSeededStampedLogGivesIdenticalReplicasAcrossSnapshots() throws Exception {
        long seed = 0x5E55_10E5L;
        Random rnd = new Random(seed);
        Ledger a = new Ledger();
        Ledger b = new Ledger();     // fed the entries as JSON, as the log holds them
        Ledger restored = null;      // from a snapshot at a third, then again at two thirds
        List<long[]> clients = new ArrayList<>(); // {number, last seq}
        EnumMap<ErrorCode, Integer> errors = new EnumMap<>(ErrorCode.class);
        long time = T0;
        long index = 0;
        int steps = 20_000;
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step;
            index += rnd.nextInt(10) == 0 ? 2 : 1;
            time += rnd.nextInt(100) == 0 ? TTL / 2 + rnd.nextInt((int) HOUR) : rnd.nextInt(60_000);
            long leaderClock = rnd.nextInt(30) == 0 ? time - rnd.nextInt((int) (3 * TTL / 1000)) * 1000L : time;
            Ledger.Stamp stamp = rnd.nextInt(25) == 0 ? Ledger.Stamp.NONE : at(Math.max(1, leaderClock));
            LedgerCommand cmd;
            if (clients.isEmpty() || rnd.nextInt(3) == 0) {
                clients.add(new long[] {clients.size(), 1});
                cmd = lunch("c" + (clients.size() - 1), 1);
            } else {
                long[] c = clients.get(rnd.nextInt(clients.size()));
                boolean retry = rnd.nextInt(4) == 0;
                if (!retry) {
                    c[1]++;
                }
                cmd = lunch("c" + c[0], c[1]);
            }
            JsonNode entry = Codec.readTree(Codec.toBytes(LedgerCodec.stamped(LedgerCodec.commandToJson(cmd), stamp)));
            long term = 1 + step / 1000;
            LedgerResult ra = a.apply(index, term, stamp, cmd);
            assertEquals(ra, b.apply(index, term, entry), where);
            if (restored != null) {
                assertEquals(ra, restored.apply(index, term, entry), where + " (restored)");
            }
            if (!ra.ok()) {
                errors.merge(ra.error(), 1, Integer::sum);
            }
            if (step == steps / 3 || step == 2 * steps / 3) {
                restored = Ledger.readSnapshot(new java.io.ByteArrayInputStream(Codec.toBytes(a.toSnapshot())));
                assertEquals(a.stateDigest(), restored.stateDigest(), where);
            }
        }
        assertEquals(a.stateDigest(), b.stateDigest());
        assertEquals(a.stateDigest(), restored.stateDigest());
        assertEquals(a.sessions(), restored.sessions());
        assertTrue(a.sessionsExpired() > 1000, "expired: " + a.sessionsExpired());
        assertTrue(errors.getOrDefault(ErrorCode.SESSION_EXPIRED, 0) > 100, "errors: " + errors);
        // what is left is bounded by the TTL, not by the number of clients ever seen
        assertTrue(a.sessionCount() < clients.size() / 4, a.sessionCount() + " of " + clients.size());
        for (Ledger.Session s : a.sessions().values()) {
            assertTrue(a.clock() - s.lastActive() <= TTL, "a session idle longer than the TTL: " + s);
        }
    }
}

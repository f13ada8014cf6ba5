package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.lunch;
import static dev.raftledger.common.ledger.Fixtures.money;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Replicas that apply the same log agree: same results, same digest, and a snapshot taken
 * anywhere restores a replica that goes on agreeing. Failures name the seed and the step.
 */
class DeterminismTest {

    private static final long SEED = 0x1ED6E5L;
    private static final int COMMANDS = 5_000;

    @Test
    void twoLedgersFedTheSameCommandsHaveTheSameDigest() {
        List<LedgerCommand> log = List.of(
                lunch("c1", 1),
                add("c2", 1, "3", "USD", "coffee", "", "bo", "2026-01-03"),
                edit("c1", 2, "E0", ExpenseChanges.NONE.withPayer("bo")),
                delete("c2", 2, "E1"),
                lunch("c1", 2));
        Ledger a = new Ledger();
        Ledger b = new Ledger();
        for (int i = 0; i < log.size(); i++) {
            assertEquals(a.apply(i, 1, log.get(i)), b.apply(i, 1, log.get(i)));
        }
        assertEquals(a.stateDigest(), b.stateDigest());
        assertEquals(64, a.stateDigest().length());
        assertTrue(a.stateDigest().matches("[0-9a-f]{64}"));

        Ledger reordered = new Ledger();
        reordered.apply(0, 1, log.get(1));
        reordered.apply(1, 1, log.get(0));
        Ledger inOrder = new Ledger();
        inOrder.apply(0, 1, log.get(0));
        inOrder.apply(1, 1, log.get(1));
        assertNotEquals(inOrder.stateDigest(), reordered.stateDigest());
        assertNotEquals(new Ledger().stateDigest(), inOrder.stateDigest());
    }

    /** What the generator knows about a client. */
    private static final class Client {
        final String id;
        long seq;
        LedgerCommand last;
        LedgerResult lastResult;

        Client(String id) {
            this.id = id;
        }
    }

    private enum Kind { ADD, EDIT, DELETE, RETRY, SUPERSEDED, INVALID, NOOP }

    @Test
    void aSeededRandomLogGivesIdenticalReplicasAndSnapshots() throws Exception {
        Random rnd = new Random(SEED);
        Ledger a = new Ledger();                       // fed command objects
        Ledger b = new Ledger();                       // fed the same objects
        Ledger c = new Ledger();                       // fed the commands as JSON trees read from bytes
        Ledger restored = null;                        // restored from a snapshot half way, then fed on
        List<Client> clients = new ArrayList<>();
        List<String> liveIds = new ArrayList<>();
        Map<String, Expense> model = new TreeMap<>();  // what the results say the state is
        EnumMap<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        Map<ErrorCode, Integer> errors = new HashMap<>();
        long index = 0;
        long term = 1;

        for (int step = 0; step < COMMANDS; step++) {
            String where = "seed " + SEED + " step " + step;
            if (rnd.nextInt(50) == 0) {
                term++;
            }
            index += rnd.nextInt(20) == 0 ? 2 : 1; // gaps: entries that are not ledger commands
            if (clients.size() < 3 || (clients.size() < 40 && rnd.nextInt(20) == 0)) {
                clients.add(new Client("client-" + clients.size()));
            }
            Client client = clients.get(rnd.nextInt(clients.size()));
            int roll = rnd.nextInt(100);
            Kind kind = roll < 35 ? Kind.ADD : roll < 50 ? Kind.EDIT : roll < 58 ? Kind.DELETE
                    : roll < 68 ? Kind.RETRY : roll < 73 ? Kind.SUPERSEDED : roll < 93 ? Kind.INVALID : Kind.NOOP;
            if (kind == Kind.RETRY && client.last == null || kind == Kind.SUPERSEDED && client.seq < 2) {
                kind = Kind.ADD;
            }
            kinds.merge(kind, 1, Integer::sum);
            if (kind == Kind.NOOP) {
                a.applyNoop(index, term);
                b.applyNoop(index, term);
                c.applyNoop(index, term);
                if (restored != null) {
                    restored.applyNoop(index, term);
                }
                continue;
            }
            LedgerCommand cmd;
            boolean recorded = true;
            switch (kind) {
                case ADD:
                    cmd = new LedgerCommand.Add(client.id, ++client.seq, randomDraft(rnd));
                    break;
                case EDIT:
                    cmd = edit(client.id, ++client.seq, pickId(rnd, liveIds, index), randomChanges(rnd));
                    break;
                case DELETE:
                    cmd = delete(client.id, ++client.seq, pickId(rnd, liveIds, index));
                    break;
                case RETRY:
                    cmd = client.last;
                    break;
                case SUPERSEDED:
                    cmd = lunch(client.id, 1 + rnd.nextInt((int) Math.min(client.seq - 1, 1000)));
                    recorded = false;
                    break;
                default:
                    int which = rnd.nextInt(9);
                    recorded = which < 7;
                    cmd = invalidCommand(rnd, which, client, liveIds, index);
            }

            LedgerResult ra = a.apply(index, term, cmd);
            LedgerResult rb = b.apply(index, term, cmd);
            JsonNode entry = Codec.readTree(Codec.toBytes(LedgerCodec.commandToJson(cmd)));
            LedgerResult rc = c.apply(index, term, entry);
            assertEquals(ra, rb, where);
            assertEquals(ra, rc, where + " (JSON path) " + cmd);
            if (restored != null) {
                assertEquals(ra, restored.apply(index, term, cmd), where + " (restored replica)");
            }
            if (!ra.ok()) {
                errors.merge(ra.error(), 1, Integer::sum);
            }

            if (kind == Kind.RETRY) {
                assertEquals(client.lastResult, ra, where + ": a retry gets the first result");
            } else if (kind == Kind.SUPERSEDED) {
                assertEquals(ErrorCode.SUPERSEDED, ra.error(), where);
            } else if (recorded) {
                client.last = cmd;
                client.lastResult = ra;
                if (ra.ok()) {
                    if (cmd instanceof LedgerCommand.Delete) {
                        model.remove(ra.id());
                        liveIds.remove(ra.id());
                    } else {
                        if (cmd instanceof LedgerCommand.Add) {
                            liveIds.add(ra.id());
                        }
                        model.put(ra.id(), ra.expense());
                    }
                }
            } else {
                assertEquals(ErrorCode.INVALID, ra.error(), where);
            }

            if (step == COMMANDS / 2) {
                byte[] snapshot = Codec.toBytes(a.toSnapshot());
                restored = Ledger.fromSnapshot(Codec.readTree(snapshot));
                assertEquals(a.stateDigest(), restored.stateDigest(), where);
            }
        }

        assertEquals(a.stateDigest(), b.stateDigest());
        assertEquals(a.stateDigest(), c.stateDigest());
        assertEquals(a.stateDigest(), restored.stateDigest());
        assertEquals(Codec.toJson(a.toSnapshot()), Codec.toJson(c.toSnapshot()));
        Ledger roundTrip = Ledger.fromSnapshot(Codec.readTree(Codec.toBytes(a.toSnapshot())));
        assertEquals(a.stateDigest(), roundTrip.stateDigest());
        assertEquals(a.list(ExpenseFilter.all()), roundTrip.list(ExpenseFilter.all()));
        assertEquals(a.sessions(), roundTrip.sessions());

        // the state is what the first results said, retries and refusals changed nothing
        Map<String, Expense> actual = new TreeMap<>();
        for (Expense e : a.list(ExpenseFilter.all())) {
            actual.put(e.id(), e);
        }
        assertEquals(model, actual);

        // the run exercised what it claims to
        for (Kind k : Kind.values()) {
            assertTrue(kinds.getOrDefault(k, 0) > 50, "too few " + k + ": " + kinds);
        }
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.SESSION_EXPIRED) {
                continue; // this log has no stamps, so no session expires: SessionExpiryTest
            }
            assertTrue(errors.getOrDefault(code, 0) > 50, "too few " + code + ": " + errors);
        }
        assertTrue(a.size() > 300, "expenses left: " + a.size());
    }

    private static final String[] CURRENCIES = {"EUR", "USD", "JPY", "BHD", "GBP", "XAU"};
    private static final String[] CATEGORIES = {"food", "rent", "travel", "Food", "caf\u00e9", "books"};
    private static final String[] PAYERS = {"ana", "bo", "chen", "d\u00e9sir\u00e9e"};

    private static ExpenseDraft randomDraft(Random rnd) {
        return new ExpenseDraft(randomMoney(rnd), pick(rnd, CATEGORIES), rnd.nextBoolean() ? "" : "note " + rnd.nextInt(1000),
                pick(rnd, PAYERS), randomDate(rnd));
    }

    private static Money randomMoney(Random rnd) {
        String currency = pick(rnd, CURRENCIES);
        int digits = currency.equals("JPY") ? 0 : currency.equals("BHD") ? 3 : currency.equals("XAU") ? 4 : 2;
        long minor = 1 + rnd.nextInt(1_000_000);
        return money(java.math.BigDecimal.valueOf(minor, digits).toPlainString(), currency);
    }

    private static LocalDate randomDate(Random rnd) {
        return LocalDate.of(2020 + rnd.nextInt(8), 1, 1).plusDays(rnd.nextInt(365));
    }

    private static ExpenseChanges randomChanges(Random rnd) {
        ExpenseChanges c = ExpenseChanges.NONE;
        while (c.isEmpty()) {
            if (rnd.nextInt(3) == 0) {
                c = c.withAmount(randomMoney(rnd));
            }
            if (rnd.nextInt(3) == 0) {
                c = c.withCategory(pick(rnd, CATEGORIES));
            }
            if (rnd.nextInt(3) == 0) {
                c = c.withDescription(rnd.nextBoolean() ? "" : "edited " + rnd.nextInt(100));
            }
            if (rnd.nextInt(3) == 0) {
                c = c.withPayer(pick(rnd, PAYERS));
            }
            if (rnd.nextInt(3) == 0) {
                c = c.withDate(randomDate(rnd));
            }
        }
        return c;
    }

    /** Mostly an id that exists, sometimes one that never did or was deleted. */
    private static String pickId(Random rnd, List<String> liveIds, long index) {
        if (!liveIds.isEmpty() && rnd.nextInt(4) != 0) {
            return liveIds.get(rnd.nextInt(liveIds.size()));
        }
        return ExpenseId.of(rnd.nextInt((int) index + 1));
    }

    /** Kinds 0-6 have a valid client and seq (so they are remembered), 7-8 do not. */
    private static LedgerCommand invalidCommand(Random rnd, int which, Client client, List<String> liveIds, long index) {
        switch (which) {
            case 0:
                return new LedgerCommand.Add(client.id, ++client.seq, withCategory(randomDraft(rnd), ""));
            case 1:
                return new LedgerCommand.Add(client.id, ++client.seq, withCategory(randomDraft(rnd), "c".repeat(65)));
            case 2: {
                ExpenseDraft d = randomDraft(rnd);
                return new LedgerCommand.Add(client.id, ++client.seq,
                        new ExpenseDraft(d.amount(), d.category(), "d".repeat(501), d.payer(), d.date()));
            }
            case 3: {
                ExpenseDraft d = randomDraft(rnd);
                return new LedgerCommand.Add(client.id, ++client.seq,
                        new ExpenseDraft(d.amount(), d.category(), d.description(), "an\u0001a", d.date()));
            }
            case 4: {
                ExpenseDraft d = randomDraft(rnd);
                return new LedgerCommand.Add(client.id, ++client.seq,
                        new ExpenseDraft(d.amount(), d.category(), d.description(), d.payer(), date("1850-06-01")));
            }
            case 5:
                return edit(client.id, ++client.seq, pickId(rnd, liveIds, index),
                        rnd.nextBoolean() ? ExpenseChanges.NONE : ExpenseChanges.NONE.withPayer(" "));
            case 6:
                return delete(client.id, ++client.seq, "X" + rnd.nextInt(100));
            case 7:
                return lunch("bad client " + rnd.nextInt(10), 1 + rnd.nextInt(5));
            default:
                return lunch(client.id, rnd.nextBoolean() ? 0 : -rnd.nextInt(100));
        }
    }

    private static ExpenseDraft withCategory(ExpenseDraft d, String category) {
        return new ExpenseDraft(d.amount(), category, d.description(), d.payer(), d.date());
    }

    private static <T> T pick(Random rnd, T[] from) {
        return from[rnd.nextInt(from.length)];
    }
}

package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.add;
import static dev.raftledger.common.ledger.Fixtures.date;
import static dev.raftledger.common.ledger.Fixtures.delete;
import static dev.raftledger.common.ledger.Fixtures.edit;
import static dev.raftledger.common.ledger.Fixtures.money;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutation of valid ledger JSON: every decoder either decodes or throws
 * {@link LedgerException}, never anything else; whatever decodes re-encodes to itself; and a
 * ledger applying the mutated entries never throws. Failures name the seed, iteration and input.
 */
class LedgerCodecFuzzTest {

    private static final long SEED = 0xFEED_1ED6L;
    private static final int ITERATIONS = 20_000;
    private static final byte[] SPICE = "{}[]\":,\\-+.eE0123456789 nultrfaEURopidseqamount\u00e9\u0001".getBytes(StandardCharsets.UTF_8);

    interface Decoder {
        Object decode(JsonNode n) throws LedgerException;
    }

    private static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (LedgerCommand c : List.of(
                add("c1", 7, "12.50", "EUR", "food", "lunch", "ana", "2026-11-25"),
                edit("c1", 8, "E3", new ExpenseChanges(money("1", "JPY"), "a", "", "c", date("2026-02-01"))),
                delete("c1", 9, "E3"))) {
            corpus.add(Codec.toBytes(LedgerCodec.commandToJson(c)));
        }
        Ledger l = new Ledger();
        l.apply(0, 1, add("c1", 1, "12.50", "EUR", "food", "lunch", "ana", "2026-11-25"));
        l.apply(1, 1, delete("c2", 1, "E5"));
        corpus.add(Codec.toBytes(l.toSnapshot()));
        corpus.add(Codec.toBytes(LedgerCodec.resultToJson(l.session("c1").orElseThrow().result())));
        corpus.add(Codec.toBytes(LedgerCodec.totalsToJson(l.totals(GroupBy.MONTH, ExpenseFilter.all()))));
        corpus.add(Codec.toBytes(LedgerCodec.filterToJson(ExpenseFilter.all().withText("x").withPage(1, 2)
                .withDates(date("2026-01-01"), null))));
        return corpus;
    }

    @Test
    void mutatedInputIsDecodedOrRefusedWithALedgerException() {
        Random rnd = new Random(SEED);
        List<byte[]> corpus = corpus();
        Decoder[] decoders = {LedgerCodec::commandFromJson, LedgerCodec::expenseFromJson, LedgerCodec::resultFromJson,
            LedgerCodec::filterFromJson, LedgerCodec::totalsFromJson, Ledger::fromSnapshot};
        Ledger ledger = new Ledger();
        int decodedCommands = 0;
        int refusedCommands = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(rnd, corpus.get(rnd.nextInt(corpus.size())));
            String where = "seed " + SEED + " iteration " + i + " input " + HexFormat.of().formatHex(input);
            try {
                LedgerCommand cmd = LedgerCodec.commandFromJson(input);
                decodedCommands++;
                assertEquals(cmd, LedgerCodec.commandFromJson(LedgerCodec.commandToJson(cmd)), where);
            } catch (LedgerException e) {
                refusedCommands++;
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), where);
            } catch (RuntimeException e) {
                throw new AssertionError(where + " threw " + e, e);
            }
            JsonNode tree;
            try {
                tree = Codec.readTree(input);
            } catch (MalformedMessageException e) {
                continue;
            }
            for (Decoder d : decoders) {
                try {
                    d.decode(tree);
                } catch (LedgerException expected) {
                    // refused: fine
                } catch (RuntimeException e) {
                    throw new AssertionError(where + " threw " + e, e);
                }
            }
            try {
                ledger.apply(i, 1, tree);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": apply threw " + e, e);
            }
        }
        assertTrue(decodedCommands > 50, "too few mutations still decode: " + decodedCommands);
        assertTrue(refusedCommands > 5_000, "too few mutations refused: " + refusedCommands);
    }

    private static byte[] mutate(Random rnd, byte[] original) {
        byte[] b = original;
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int pos = b.length == 0 ? 0 : rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0: { // delete a range
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(4));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(b, pos + len, out, pos, b.length - pos - len);
                    b = out;
                    break;
                }
                case 1: { // insert a spice byte
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, pos);
                    out[pos] = SPICE[rnd.nextInt(SPICE.length)];
                    System.arraycopy(b, pos, out, pos + 1, b.length - pos);
                    b = out;
                    break;
                }
                case 2: // replace a byte with a spice byte
                    if (b.length > 0) {
                        b = Arrays.copyOf(b, b.length);
                        b[pos] = SPICE[rnd.nextInt(SPICE.length)];
                    }
                    break;
                case 3: // replace a byte with anything
                    if (b.length > 0) {
                        b = Arrays.copyOf(b, b.length);
                        b[pos] = (byte) rnd.nextInt(256);
                    }
                    break;
                default: { // duplicate a range
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(12));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, pos + len);
                    System.arraycopy(b, pos, out, pos + len, b.length - pos);
                    b = out;
                }
            }
        }
        return b;
    }
}

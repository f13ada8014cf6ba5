package dev.raftledger.raftd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.ledger.ExpenseChanges;
import dev.raftledger.common.ledger.ExpenseDraft;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerCommand;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.ledger.Money;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.time.LocalDate;
import java.util.Random;

/**
 * Fills a ledger the way a node's log does: every write is a real add, edit or delete command,
 * encoded to JSON bytes and parsed back as the applier parses a committed entry, then applied
 * with {@link Ledger#apply(long, long, JsonNode)}. So every expense holds its own strings, as on
 * a node (nothing is shared between expenses that a node would not share), and the memory
 * measured is what a node would hold.
 *
 * <p>The mix (seeded, so every run builds the same ledger): 93 % adds, 5 % edits and 2 % deletes
 * of an earlier expense (some already deleted: remembered NOT_FOUND results), from a few
 * thousand clients each with its own sequence numbers; 24 categories, 40 payers, dates over
 * three years, five currencies (JPY with no decimals), descriptions of 10-40 characters, some
 * non-ASCII; a new term with a leader's no-op every 200,000 entries.
 */
final class LedgerFiller {

    private static final String[] CATEGORIES = {"food", "rent", "travel", "transport", "fuel", "groceries", "coffee",
        "books", "health", "gym", "phone", "internet", "electricity", "water", "insurance", "gifts", "clothes",
        "cinema", "restaurants", "hotel", "taxes", "repairs", "software", "café"};
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "USD", "USD", "GBP", "JPY"};
    private static final String[] WORDS = {"lunch", "dinner", "with", "team", "client", "at", "the", "station", "airport",
        "monthly", "bill", "refund", "shared", "taxi", "train", "ticket", "Zoë's", "寿司", "market", "weekend"};
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);
    private static final int DAYS = 3 * 365;
    private static final long ENTRIES_PER_TERM = 200_000;

    private final Random random = new Random(0x5AB5L);
    private final long[] seqs;
    private final Ledger ledger = new Ledger();
    private long[] addIndices = new long[1024];
    private int adds;
    private long index;
    private long term = 1;
    private long edits;
    private long deletes;
    private long refused;

    LedgerFiller(int clients) {
        this.seqs = new long[clients];
    }

    /** Applies writes until the ledger holds {@code expenses} expenses; returns it. */
    Ledger fill(int expenses) throws LedgerException, MalformedMessageException {
        ledger.applyNoop(index++, term); // the first leader's no-op
        while (ledger.size() < expenses) {
            if (index % ENTRIES_PER_TERM == 0) {
                term++;
                ledger.applyNoop(index++, term);
                continue;
            }
            int client = random.nextInt(seqs.length);
            LedgerCommand cmd = next("bench-client-" + client, ++seqs[client]);
            // through JSON bytes and back, as a committed entry reaches the applier
            JsonNode entry = Codec.readTree(Codec.toBytes(LedgerCodec.commandToJson(cmd)));
            LedgerResult r = ledger.apply(index, term, entry);
            if (!r.ok()) {
                refused++;
            } else if (cmd instanceof LedgerCommand.Add) {
                remember(index);
            }
            index++;
        }
        return ledger;
    }

    long entries() {
        return index;
    }

    String mix() {
        return String.format(java.util.Locale.ROOT, "%,d log entries: %,d adds, %,d edits, %,d deletes (%,d of these"
                + " edits and deletes refused as NOT_FOUND: already deleted), %,d terms; %,d client sessions", index, adds, edits, deletes, refused, term,
                ledger.sessions().size());
    }

    private LedgerCommand next(String client, long seq) throws LedgerException {
        int roll = random.nextInt(100);
        if (adds > 0 && roll < 5) {
            edits++;
            String id = "E" + addIndices[random.nextInt(adds)];
            ExpenseChanges change = random.nextBoolean()
                    ? ExpenseChanges.NONE.withDescription(description())
                    : ExpenseChanges.NONE.withAmount(amount());
            return new LedgerCommand.Edit(client, seq, id, change);
        }
        if (adds > 0 && roll < 7) {
            deletes++;
            return new LedgerCommand.Delete(client, seq, "E" + addIndices[random.nextInt(adds)]);
        }
        return new LedgerCommand.Add(client, seq, new ExpenseDraft(amount(),
                CATEGORIES[random.nextInt(CATEGORIES.length)], description(), "payer" + random.nextInt(40),
                FIRST_DAY.plusDays(random.nextInt(DAYS))));
    }

    private Money amount() throws LedgerException {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        String amount = currency.equals("JPY")
                ? String.valueOf(100 + random.nextInt(30_000))
                : (1 + random.nextInt(500)) + "." + (10 + random.nextInt(90));
        return Money.parse(amount, currency);
    }

    private String description() {
        StringBuilder sb = new StringBuilder();
        int target = 10 + random.nextInt(31);
        while (sb.length() < target) {
            sb.append(sb.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        sb.append(" #").append(random.nextInt(10_000));
        return sb.length() > 40 ? sb.substring(sb.length() - 40).strip() : sb.toString();
    }

    private void remember(long addIndex) {
        if (adds == addIndices.length) {
            addIndices = java.util.Arrays.copyOf(addIndices, adds * 2);
        }
        addIndices[adds++] = addIndex;
    }
}

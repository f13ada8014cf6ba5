package dev.raftledger.common.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replicated state machine of the expenses tracker: the expenses, the table of each
 * client's last write and its result (the dedup table), and the index and term of the last
 * log entry applied. Every replica that applies the same log entries in the same order ends in
 * the same state and answers every write with the same {@link LedgerResult}: nothing here
 * reads a clock, draws a random number, or lets hash order leak out (all maps are sorted).
 *
 * <p><b>Exactly once.</b> Each write carries its client's id and a sequence number. Per client
 * the ledger remembers the last sequence number applied and its result:
 * <ul>
 *   <li>seq equal to the last: a retry (lost reply, re-proposal after a leader change); the
 *       stored first result is returned and nothing is applied again;</li>
 *   <li>seq below the last: refused as {@link ErrorCode#SUPERSEDED}, not applied, the table
 *       unchanged;</li>
 *   <li>seq above the last (gaps allowed): applied, and its result, ok or refused, remembered.</li>
 * </ul>
 * A write whose client id or seq is itself invalid cannot be remembered and is refused each
 * time. Edits and deletes of an unknown id, and invalid commands, are remembered like any
 * other result, so a retry gets the same answer.
 *
 * <p>Not thread-safe: one thread (the node's event loop) owns it.
 */
public final class Ledger {

    /** The version of {@link #toSnapshot()}'s shape. */
    public static final int SNAPSHOT_FORMAT = 1;

    /** A client's last applied write. */
    public record Session(long seq, LedgerResult result) {}

    private static final Comparator<Expense> LIST_ORDER =
            Comparator.comparing(Expense::date).thenComparingLong(Expense::createdIndex);

    /** Expenses by the log index that created them (so by id number). */
    private final TreeMap<Long, Expense> expenses = new TreeMap<>();
    private final TreeMap<String, Session> sessions = new TreeMap<>();
    private long appliedIndex = -1;
    private long appliedTerm = 0;

    /** An empty ledger: no expenses, no clients, nothing applied (index -1, term 0, as an empty log). */
    public Ledger() {}

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Applies the log entry at {@code index} (of {@code term}). Never throws for anything the
     * command holds: an invalid command is an error result. Throws
     * {@link IllegalArgumentException} only for a caller's mistake: an index not above
     * {@link #appliedIndex()} (an entry applied twice) or a negative term.
     */
    public LedgerResult apply(long index, long term, LedgerCommand cmd) {
        advance(index, term);
        if (cmd == null) {
            return LedgerResult.error(ErrorCode.INVALID, null, "the command is missing");
        }
        return once(cmd.clientId(), cmd.seq(), () -> execute(index, term, Validation.command(cmd)));
    }

    /**
     * Applies a log entry holding a command as JSON ({@link LedgerCodec#commandFromJson(JsonNode)}).
     * One that does not decode is an error result; if its client id and seq are readable and
     * valid it goes through the dedup table like any other refused write.
     */
    public LedgerResult apply(long index, long term, JsonNode entry) {
        advance(index, term);
        LedgerCommand cmd;
        try {
            cmd = LedgerCodec.commandFromJson(entry);
        } catch (LedgerException bad) {
            String client = null;
            long seq = 0;
            try {
                JsonNode o = LedgerCodec.object(entry, "a command");
                client = Validation.clientId(LedgerCodec.optText(o, "client_id"));
                seq = Validation.seq(LedgerCodec.requiredLong(o, "seq"));
            } catch (LedgerException unreadable) {
                return LedgerResult.error(bad);
            }
            return once(client, seq, () -> {
                throw bad;
            });
        }
        return once(cmd.clientId(), cmd.seq(), () -> execute(index, term, cmd));
    }

    /** Records a log entry that holds no ledger command (a leader's no-op, a configuration change). */
    public void applyNoop(long index, long term) {
        advance(index, term);
    }

    private void advance(long index, long term) {
        if (index <= appliedIndex || index > Validation.MAX_COUNTER) {
            throw new IllegalArgumentException("log index " + index + " is not after the last applied " + appliedIndex);
        }
        if (term < 0 || term > Validation.MAX_COUNTER) {
            throw new IllegalArgumentException("term out of range: " + term);
        }
        appliedIndex = index;
        appliedTerm = term;
    }

    private interface Action {
        LedgerResult run() throws LedgerException;
    }

    private LedgerResult once(String client, long seq, Action action) {
        try {
            Validation.clientId(client);
            Validation.seq(seq);
        } catch (LedgerException e) {
            return LedgerResult.error(e); // nothing to remember it by
        }
        Session last = sessions.get(client);
        if (last != null && seq == last.seq()) {
            return last.result();
        }
        if (last != null && seq < last.seq()) {
            return LedgerResult.error(ErrorCode.SUPERSEDED, null,
                    "sequence " + seq + " already superseded by " + last.seq() + " (client " + client + ")");
        }
        LedgerResult result;
        try {
            result = action.run();
        } catch (LedgerException e) {
            result = LedgerResult.error(e);
        }
        sessions.put(client, new Session(seq, result));
        return result;
    }

    /** Executes a validated command. Every check comes before the one change it makes. */
    private LedgerResult execute(long index, long term, LedgerCommand cmd) throws LedgerException {
        if (cmd instanceof LedgerCommand.Add add) {
            ExpenseDraft d = add.expense();
            String id = ExpenseId.of(index);
            Expense e = new Expense(id, d.amount(), d.category(), d.description(), d.payer(), d.date(),
                    term, index, term, index);
            expenses.put(index, e);
            return LedgerResult.ok(id, e);
        } else if (cmd instanceof LedgerCommand.Edit edit) {
            Expense old = existing(edit.id());
            if (old == null) {
                return notFound(edit.id());
            }
            Expense e = old.with(edit.changes(), term, index);
            expenses.put(old.createdIndex(), e);
            return LedgerResult.ok(e.id(), e);
        } else {
            LedgerCommand.Delete delete = (LedgerCommand.Delete) cmd;
            Expense old = existing(delete.id());
            if (old == null) {
                return notFound(delete.id());
            }
            expenses.remove(old.createdIndex());
            return LedgerResult.ok(old.id(), null);
        }
    }

    private Expense existing(String id) throws LedgerException {
        return expenses.get(ExpenseId.index(id));
    }

    private static LedgerResult notFound(String id) {
        return LedgerResult.error(ErrorCode.NOT_FOUND, id, "no expense " + id + " (it never existed or was deleted)");
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The index of the last log entry applied; -1 before any. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The term of the last log entry applied; 0 before any. */
    public long appliedTerm() {
        return appliedTerm;
    }

    public Optional<Expense> get(String id) {
        try {
            return Optional.ofNullable(expenses.get(ExpenseId.index(id)));
        } catch (LedgerException e) {
            return Optional.empty();
        }
    }

    /** The number of expenses stored. */
    public int size() {
        return expenses.size();
    }

    /** A client's last applied write, if the ledger has seen the client. */
    public Optional<Session> session(String clientId) {
        return Optional.ofNullable(clientId == null ? null : sessions.get(clientId));
    }

    /** The dedup table, sorted by client id (unmodifiable view). */
    public SortedMap<String, Session> sessions() {
        return java.util.Collections.unmodifiableSortedMap(sessions);
    }

    /**
     * The expenses the filter selects, sorted by date, then by creation (log index), then paged
     * by the filter's offset and limit.
     */
    public List<Expense> list(ExpenseFilter f) {
        List<Expense> out = select(f);
        out.sort(LIST_ORDER);
        int from = Math.min(f.offset(), out.size());
        int to = (int) Math.min((long) from + f.limit(), out.size());
        return List.copyOf(out.subList(from, to));
    }

    /** How many expenses the filter selects, ignoring its paging. */
    public int count(ExpenseFilter f) {
        return select(f).size();
    }

    /** Sums of the selected expenses (paging ignored) per group and per currency. */
    public Totals totals(GroupBy by, ExpenseFilter f) {
        TreeMap<String, SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        for (Expense e : select(f)) {
            groups.computeIfAbsent(by.key(e), k -> new TreeMap<>())
                    .merge(e.amount().currencyCode(), e.amount().amount(), BigDecimal::add);
        }
        return new Totals(by, groups);
    }

    private List<Expense> select(ExpenseFilter f) {
        List<Expense> out = new ArrayList<>();
        for (Expense e : expenses.values()) {
            if (f.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- whole state ------------------------------------------------------------------------

    /**
     * The whole state as a JSON tree, the same on every replica in the same state:
     * {@code {"format":1,"applied_index":N,"applied_term":T,"expenses":[expense...],
     * "sessions":[{"client_id":..,"seq":..,"result":{result}}...]}}, expenses in id order
     * (creating index), sessions in client id order.
     */
    public ObjectNode toSnapshot() {
        ObjectNode o = Codec.objectNode();
        o.put("format", SNAPSHOT_FORMAT);
        o.put("applied_index", appliedIndex);
        o.put("applied_term", appliedTerm);
        ArrayNode list = o.putArray("expenses");
        for (Expense e : expenses.values()) {
            list.add(LedgerCodec.expenseToJson(e));
        }
        ArrayNode table = o.putArray("sessions");
        for (Map.Entry<String, Session> s : sessions.entrySet()) {
            ObjectNode entry = table.addObject();
            entry.put("client_id", s.getKey());
            entry.put("seq", s.getValue().seq());
            entry.set("result", LedgerCodec.resultToJson(s.getValue().result()));
        }
        return o;
    }

    /** A ledger in the state {@link #toSnapshot()} wrote; validates everything and refuses inconsistent state. */
    public static Ledger fromSnapshot(JsonNode snapshot) throws LedgerException {
        JsonNode o = LedgerCodec.object(snapshot, "a snapshot");
        long format = LedgerCodec.requiredLong(o, "format");
        if (format != SNAPSHOT_FORMAT) {
            throw LedgerException.invalid("format", "unsupported snapshot format " + format + " (this version reads "
                    + SNAPSHOT_FORMAT + ")");
        }
        Ledger l = new Ledger();
        l.appliedIndex = Validation.counter("applied_index", LedgerCodec.requiredLong(o, "applied_index"), -1);
        l.appliedTerm = Validation.counter("applied_term", LedgerCodec.requiredLong(o, "applied_term"), 0);
        JsonNode list = o.get("expenses");
        if (list == null || !list.isArray()) {
            throw LedgerException.invalid("expenses", "must be a JSON array");
        }
        for (int i = 0; i < list.size(); i++) {
            Expense e;
            try {
                e = LedgerCodec.expenseFromJson(list.get(i));
            } catch (LedgerException bad) {
                throw snapshotError("expenses[" + i + "]", bad);
            }
            if (e.updatedIndex() > l.appliedIndex) {
                throw LedgerException.invalid("expenses", "expenses[" + i + "] " + e.id() + " changed at index "
                        + e.updatedIndex() + ", after the applied index " + l.appliedIndex);
            }
            if (l.expenses.put(e.createdIndex(), e) != null) {
                throw LedgerException.invalid("expenses", "expense " + e.id() + " appears twice");
            }
        }
        JsonNode table = o.get("sessions");
        if (table == null || !table.isArray()) {
            throw LedgerException.invalid("sessions", "must be a JSON array");
        }
        for (int i = 0; i < table.size(); i++) {
            try {
                JsonNode s = LedgerCodec.object(table.get(i), "a session");
                String client = Validation.clientId(LedgerCodec.optText(s, "client_id"));
                long seq = Validation.seq(LedgerCodec.requiredLong(s, "seq"));
                LedgerResult result = LedgerCodec.resultFromJson(s.get("result"));
                if (l.sessions.put(client, new Session(seq, result)) != null) {
                    throw LedgerException.invalid("client_id", "client " + client + " appears twice");
                }
            } catch (LedgerException bad) {
                throw snapshotError("sessions[" + i + "]", bad);
            }
        }
        return l;
    }

    private static LedgerException snapshotError(String where, LedgerException e) {
        return new LedgerException(e.code(), e.field(), "snapshot " + where + ": " + e.getMessage());
    }

    /**
     * SHA-256 (hex) of the canonical JSON of {@link #toSnapshot()}: expenses, dedup table and
     * applied index/term. Equal on two replicas exactly when their states are equal.
     */
    public String stateDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(sha.digest(Codec.toBytes(toSnapshot())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

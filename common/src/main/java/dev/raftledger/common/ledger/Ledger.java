package dev.raftledger.common.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 *       unchanged but for the session's last activity;</li>
 *   <li>seq above the last (gaps allowed): applied, and its result, ok or refused, remembered.</li>
 * </ul>
 * A write whose client id or seq is itself invalid cannot be remembered and is refused each
 * time. Edits and deletes of an unknown id, and invalid commands, are remembered like any
 * other result, so a retry gets the same answer.
 *
 * <p><b>Sessions expire</b> (Raft thesis, section 6.3), so that one-shot clients do not fill the
 * heap and every snapshot for ever. The leader stamps each command's log entry with its wall
 * clock and the cluster's session TTL ({@link Stamp}); the ledger's clock is the largest time
 * applied so far (never read from the machine, never going back when a leader's clock is
 * behind). Whenever an entry's stamp is applied, every session idle for longer than the TTL
 * (last active before clock - TTL) is dropped, at the same index on every replica. Sessions are
 * kept in order of last activity, so this costs O(1) plus O(1) per session dropped. Entries
 * without a stamp (written before stamps existed, no-ops, STOREs) leave the clock and TTL as
 * they are. A client the ledger no longer knows that sends a seq above 1 while some session has
 * expired is refused {@link ErrorCode#SESSION_EXPIRED} and not remembered: it may be the retry
 * of a write applied before its session expired, which must not apply twice. A seq of 1 from an
 * unknown client is a new client, so the retry of a client's first write more than a TTL after
 * it was applied would apply again: clients retry for seconds, the TTL is a day.
 *
 * <p><b>Writers.</b> With a cluster key the leader also stamps the name of the identity whose
 * key sealed the request ({@link Stamp#by()}); an add records it as the expense's
 * {@code createdBy} and {@code updatedBy}, an edit as its {@code updatedBy}. An entry without
 * one records null (unknown). Like the time, it comes only from the log, so every replica
 * records the same name.
 *
 * <p>Not thread-safe: one thread (the node's event loop) owns it.
 */
public final class Ledger {

    /**
     * The newest version of {@link #toSnapshot()}'s shape: 2 adds the clock, the TTL, the count
     * of expired sessions and each session's last activity. Both are read. A ledger that has no
     * clock yet (no stamped entry applied) has nothing of format 2's to say and writes format 1,
     * byte for byte what the code before session expiry wrote ({@link #format()}).
     */
    public static final int SNAPSHOT_FORMAT = 2;

    /**
     * A client's last applied write, and the ledger's clock when the client last wrote
     * ({@code lastActive}, ms since the epoch; 0 before the ledger had a clock).
     */
    public record Session(long seq, LedgerResult result, long lastActive) {

        /** Before the ledger had a clock. */
        public Session(long seq, LedgerResult result) {
            this(seq, result, 0);
        }
    }

    /**
     * What the leader stamps into the log entry of each command it proposes (Raft thesis 6.3):
     * its wall clock, ms since the epoch, and the cluster's session TTL in ms (0: sessions never
     * expire); and {@code by}, the name of the identity whose key sealed the request (null:
     * unknown, as without a cluster key). The ledger takes time and writers only from here, never
     * from a clock or a key of its own. A stamp may carry a time (with its TTL), a writer, or
     * both; {@link #NONE}: an entry without a stamp, which moves neither clock nor TTL and
     * records no writer.
     */
    public record Stamp(long time, long sessionTtlMs, String by) {

        /** No stamp: the entry leaves the ledger's clock and TTL as they are and names no writer. */
        public static final Stamp NONE = new Stamp(0, 0, null);
        static final String TIME = "time";
        static final String SESSION_TTL = "session_ttl";
        static final String BY = "by";

        /**
         * @throws IllegalArgumentException a time or TTL out of range, a TTL without a time, or a
         *                                  writer's name that {@link Validation#writer} refuses
         */
        public Stamp {
            if (time < 0 || time > Validation.MAX_COUNTER || sessionTtlMs < 0 || sessionTtlMs > Validation.MAX_COUNTER) {
                throw new IllegalArgumentException("stamp out of range: time " + time + ", ttl " + sessionTtlMs);
            }
            if (time == 0 && sessionTtlMs != 0) {
                throw new IllegalArgumentException("a stamp without a time has no TTL either");
            }
            if (by != null) {
                try {
                    Validation.writer(BY, by);
                } catch (LedgerException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }

        /** A time stamp naming no writer. */
        public Stamp(long time, long sessionTtlMs) {
            this(time, sessionTtlMs, null);
        }

        /** This stamp naming {@code writer} (null: none). */
        public Stamp by(String writer) {
            return new Stamp(time, sessionTtlMs, writer);
        }

        /** Neither a time nor a writer. */
        public boolean isNone() {
            return time == 0 && by == null;
        }

        /** Whether it carries a time (and TTL), which moves the ledger's clock. */
        public boolean hasTime() {
            return time != 0;
        }
    }

    /**
     * What one session costs the heap, roughly (bytes): its map entry, client id, {@link Session},
     * {@link LedgerResult} and their share of the table; the expense a result names is counted
     * with the expenses while it stays in the ledger. Measured by SessionBenchmark (docs/benchmarks.md).
     */
    public static final long SESSION_BYTES_ESTIMATE = 180;

    /** The session TTL a leader stamps unless configured otherwise ({@code raftd --session-ttl}): a day. */
    public static final long DEFAULT_SESSION_TTL_MS = 24 * 3_600_000L;

    private static final Comparator<Expense> LIST_ORDER =
            Comparator.comparing(Expense::date).thenComparingLong(Expense::createdIndex);

    /** Expenses by the log index that created them (so by id number). */
    private final ExpenseTable expenses;
    /** The sums of all of them per group and currency, kept as they change (unfiltered totals). */
    private final RunningTotals running;
    /** Them in list order, all and by category and payer, kept as they change; null in a {@link #copy}. */
    private final ListOrders orders;
    /**
     * The dedup table in order of last activity, least recent first: a session written to moves
     * to the end, and since the clock never goes back the order is also by {@code lastActive}.
     */
    private final LinkedHashMap<String, Session> sessions;
    private long appliedIndex;
    private long appliedTerm;
    /** The largest stamp time applied, ms since the epoch; 0: none yet. */
    private long clock;
    /** The TTL of the last stamp applied, ms; 0: sessions never expire. */
    private long sessionTtlMs;
    /** How many sessions have expired so far (decides {@link ErrorCode#SESSION_EXPIRED}). */
    private long sessionsExpired;

    /** An empty ledger: no expenses, no clients, nothing applied (index -1, term 0, as an empty log). */
    public Ledger() {
        this(new ExpenseTable(), new LinkedHashMap<>(), -1, 0, 0, 0, 0);
    }

    /**
     * A ledger over these maps (taken, not copied): for {@link #copy} and the snapshot reader.
     * {@code sessions} must be in order of {@code lastActive}, none after {@code clock}.
     */
    Ledger(ExpenseTable expenses, LinkedHashMap<String, Session> sessions, long appliedIndex, long appliedTerm,
           long clock, long sessionTtlMs, long sessionsExpired) {
        this(expenses, RunningTotals.of(expenses), ListOrders.of(expenses), sessions, appliedIndex, appliedTerm, clock,
                sessionTtlMs, sessionsExpired);
    }

    private Ledger(ExpenseTable expenses, RunningTotals running, ListOrders orders, LinkedHashMap<String, Session> sessions,
                   long appliedIndex, long appliedTerm, long clock, long sessionTtlMs, long sessionsExpired) {
        this.expenses = expenses;
        this.running = running;
        this.orders = orders;
        this.sessions = sessions;
        this.appliedIndex = appliedIndex;
        this.appliedTerm = appliedTerm;
        this.clock = clock;
        this.sessionTtlMs = sessionTtlMs;
        this.sessionsExpired = sessionsExpired;
    }

    /**
     * A point-in-time copy, independent of later writes to this ledger (and this ledger of
     * writes to the copy), to be taken on the thread that owns the ledger and then handed to
     * another (a snapshot writer). Cheap: the expenses are shared copy-on-write
     * ({@link ExpenseTable#copy}: O(n / 512)) and the dedup table is copied (O(clients)); the
     * expenses and results themselves are shared, which is safe because they are immutable
     * records of immutable values (String, Money = BigDecimal + Currency, LocalDate, enum).
     * Hand it to the other thread through something that publishes safely (an executor, a
     * queue). Measured for a million expenses in docs/benchmarks.md ("Snapshots").
     */
    public Ledger copy() {
        // no list orders: copying them would cost the loop O(n), and a copy is for writing snapshots
        return new Ledger(expenses.copy(), running.copy(), null, new LinkedHashMap<>(sessions), appliedIndex,
                appliedTerm, clock, sessionTtlMs, sessionsExpired);
    }

    /**
     * A point-in-time copy for reads on another thread: as {@link #copy}, but without the dedup
     * table (its sessions are empty), which reads never consult and which may hold a million
     * one-shot clients (O(clients) to copy, on the loop). O(n / 512) for the expenses. Its
     * {@link #list}, {@link #count}, {@link #totals}, {@link #page} and {@link #sorted} answer as
     * this ledger's would have when it was taken; it is not for snapshots or digests.
     */
    public Ledger copyForReads() {
        return new Ledger(expenses.copy(), running.copy(), null, new LinkedHashMap<>(), appliedIndex,
                appliedTerm, clock, sessionTtlMs, sessionsExpired);
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Applies the log entry at {@code index} (of {@code term}). Never throws for anything the
     * command holds: an invalid command is an error result. Throws
     * {@link IllegalArgumentException} only for a caller's mistake: an index not above
     * {@link #appliedIndex()} (an entry applied twice) or a negative term.
     */
    public LedgerResult apply(long index, long term, LedgerCommand cmd) {
        return apply(index, term, Stamp.NONE, cmd);
    }

    /**
     * {@link #apply(long, long, LedgerCommand)} of an entry the leader stamped: if the stamp has
     * a time, the clock moves to it if that is later, the TTL becomes the stamp's, and the
     * sessions idle longer than the TTL expire, all before the command runs; the command's add or
     * edit records the stamp's writer ({@link Stamp#by()}, null: unknown).
     */
    public LedgerResult apply(long index, long term, Stamp stamp, LedgerCommand cmd) {
        advance(index, term);
        tick(stamp);
        if (cmd == null) {
            return LedgerResult.error(ErrorCode.INVALID, null, "the command is missing");
        }
        return once(cmd.clientId(), cmd.seq(), () -> execute(index, term, stamp.by(), Validation.command(cmd)));
    }

    /**
     * Applies a log entry holding a command as JSON ({@link LedgerCodec#commandFromJson(JsonNode)}).
     * One that does not decode is an error result; if its client id and seq are readable and
     * valid it goes through the dedup table like any other refused write.
     */
    public LedgerResult apply(long index, long term, JsonNode entry) {
        advance(index, term);
        LedgerCommand cmd;
        Stamp stamp;
        try {
            JsonNode o = LedgerCodec.object(entry, "a command");
            stamp = LedgerCodec.stampFromJson(o);
            tick(stamp); // a bad stamp moves nothing: the entry is refused below like a bad command
            cmd = LedgerCodec.commandFromLog(o);
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
        String by = stamp.by();
        return once(cmd.clientId(), cmd.seq(), () -> execute(index, term, by, cmd));
    }

    /**
     * Applies a log entry whose write was decoded and validated when the leader accepted it
     * ({@link LedgerCodec#accept}): exactly what {@link #apply(long, long, JsonNode)} does with the
     * entry's bytes, without decoding or validating them again. The leader applies the writes it
     * proposed so; every other entry, and every entry on a follower, is applied from its bytes.
     */
    public LedgerResult apply(long index, long term, LedgerWrite write) {
        advance(index, term);
        Stamp stamp = write.stamp();
        tick(stamp);
        LedgerCommand cmd = write.command();
        return once(cmd.clientId(), cmd.seq(), () -> execute(index, term, stamp.by(), cmd));
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

    /** Moves the clock and TTL to the stamp's and expires the sessions idle too long. */
    private void tick(Stamp stamp) {
        if (!stamp.hasTime()) {
            return;
        }
        sessionTtlMs = stamp.sessionTtlMs();
        if (stamp.time() > clock) {
            if (clock == 0) {
                // sessions from before the first stamp (an older log or snapshot) count as
                // active now rather than at the epoch: one pass, once in a ledger's life
                long now = stamp.time();
                sessions.replaceAll((client, s) -> new Session(s.seq(), s.result(), now));
            }
            clock = stamp.time();
        }
        expireIdle();
    }

    /** Drops the sessions last active more than the TTL before the clock, least recent first. */
    private void expireIdle() {
        if (sessionTtlMs == 0 || clock - sessionTtlMs <= 0) {
            return;
        }
        long cutoff = clock - sessionTtlMs;
        for (var it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().lastActive() >= cutoff) {
                break; // the rest were active later still
            }
            it.remove();
            sessionsExpired++;
        }
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
        if (last == null && seq > 1 && sessionsExpired > 0) {
            return LedgerResult.error(ErrorCode.SESSION_EXPIRED, null, "client " + client + " has no session for seq "
                    + seq + ": its session expired" + (sessionTtlMs > 0 ? " after " + idle(sessionTtlMs)
                    + " without writes" : "") + " (or it never existed: a new client starts at seq 1); this write"
                    + " was not applied now, an earlier send of it may have been");
        }
        if (last != null && seq <= last.seq()) {
            touch(client, last, last.seq(), last.result());
            if (seq == last.seq()) {
                return last.result();
            }
            return LedgerResult.error(ErrorCode.SUPERSEDED, null,
                    "sequence " + seq + " already superseded by " + last.seq() + " (client " + client + ")");
        }
        LedgerResult result;
        try {
            result = action.run();
        } catch (LedgerException e) {
            result = LedgerResult.error(e);
        }
        touch(client, last, seq, result);
        return result;
    }

    /** Records the client's session as active now, moving it to the most recent end. */
    private void touch(String client, Session old, long seq, LedgerResult result) {
        if (old != null && old.seq() == seq && old.lastActive() == clock) {
            return; // unchanged, and among the most recent already
        }
        if (old != null) {
            sessions.remove(client);
        }
        sessions.put(client, new Session(seq, result, clock));
    }

    /** "24 h", "90 min", "42 s", "1500 ms": a TTL (above 0) for messages. */
    static String idle(long ms) {
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /**
     * Executes a validated command made by {@code by} (the stamp's writer, null: unknown). Every
     * check comes before the one change it makes.
     */
    private LedgerResult execute(long index, long term, String by, LedgerCommand cmd) throws LedgerException {
        if (cmd instanceof LedgerCommand.Add add) {
            ExpenseDraft d = add.expense();
            String id = ExpenseId.of(index);
            String writer = by == null ? null : by.intern();
            Expense e = new Expense(id, d.amount(), d.category().intern(), d.description(), d.payer().intern(),
                    d.date(), term, index, term, index, writer, writer);
            expenses.put(index, e);
            running.add(e);
            if (orders != null) {
                orders.add(e);
            }
            return LedgerResult.ok(id, e);
        } else if (cmd instanceof LedgerCommand.Edit edit) {
            Expense old = existing(edit.id());
            if (old == null) {
                return notFound(edit.id());
            }
            Expense e = withSharedText(old.with(edit.changes(), term, index, by));
            expenses.put(old.createdIndex(), e);
            running.remove(old);
            running.add(e);
            if (orders != null && ListOrders.moves(old, e)) {
                orders.remove(old);
                orders.add(e);
            }
            return LedgerResult.ok(e.id(), e);
        } else {
            LedgerCommand.Delete delete = (LedgerCommand.Delete) cmd;
            Expense old = existing(delete.id());
            if (old == null) {
                return notFound(delete.id());
            }
            expenses.remove(old.createdIndex());
            running.remove(old);
            if (orders != null) {
                orders.remove(old);
            }
            return LedgerResult.ok(old.id(), null);
        }
    }

    /**
     * {@code e} with its category and payer as the JVM's one copy of those strings, and its
     * writers as a shared pair of such strings ({@link Expense.Writers#of}). Ledgers repeat a few
     * categories, payers and operators a million times; one String each instead of one per
     * expense saves about a fifth of a large ledger's heap (SnapshotBenchmark). Values and
     * output are unchanged: only which of several equal String instances is held.
     */
    static Expense withSharedText(Expense e) {
        String category = e.category().intern();
        String payer = e.payer().intern();
        Expense.Writers writers = e.writers() == null ? null : Expense.Writers.of(
                e.createdBy() == null ? null : e.createdBy().intern(),
                e.updatedBy() == null ? null : e.updatedBy().intern());
        if (category == e.category() && payer == e.payer() && writers == e.writers()) {
            return e;
        }
        return new Expense(e.id(), e.amount(), category, e.description(), payer, e.date(),
                e.createdTerm(), e.createdIndex(), e.updatedTerm(), e.updatedIndex(), writers);
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

    /** The dedup table, sorted by client id (an unmodifiable copy: O(n log n), for tests and tools). */
    public SortedMap<String, Session> sessions() {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sessions));
    }

    /** How many sessions the dedup table holds. O(1). */
    public int sessionCount() {
        return sessions.size();
    }

    /** A rough size of the dedup table in the heap, bytes ({@link #SESSION_BYTES_ESTIMATE} each). */
    public long sessionBytesEstimate() {
        return sessions.size() * SESSION_BYTES_ESTIMATE;
    }

    /** The snapshot format {@link #toSnapshot()} writes: 1 until the ledger has a clock, then 2. */
    public int format() {
        return clock == 0 ? 1 : SNAPSHOT_FORMAT;
    }

    /** The ledger's clock: the largest stamp time applied, ms since the epoch; 0 before any. */
    public long clock() {
        return clock;
    }

    /** The session TTL of the last stamp applied, ms; 0: sessions never expire. */
    public long sessionTtlMs() {
        return sessionTtlMs;
    }

    /** How many sessions have expired in this ledger's history. */
    public long sessionsExpired() {
        return sessionsExpired;
    }

    /**
     * The expenses the filter selects, sorted by date, then by creation (log index), then paged
     * by the filter's offset and limit. Without a filter, or with one on a category or a payer
     * (and dates), from a list order kept as entries apply ({@link ListOrders}): the page's own
     * cost and a step per date, whatever the ledger's size; otherwise (text, a category and a
     * payer together, or on a {@link #copy}), a pass over every expense and a sort of the matches.
     */
    public List<Expense> list(ExpenseFilter f) {
        DateOrder kept = orders == null ? null : orders.orderFor(f);
        if (kept != null) {
            // the page's own expenses, no sort
            long[] page = kept.page(f.from(), f.to(), f.offset(), f.limit());
            List<Expense> out = new ArrayList<>(page.length);
            for (long index : page) {
                out.add(expenses.get(index));
            }
            return List.copyOf(out);
        }
        List<Expense> out = select(f);
        out.sort(LIST_ORDER);
        int from = Math.min(f.offset(), out.size());
        int to = (int) Math.min((long) from + f.limit(), out.size());
        return List.copyOf(out.subList(from, to));
    }

    /**
     * How many expenses the filter selects, ignoring its paging: O(1) when it selects all, a step
     * per date when a kept order answers it ({@link #list}), else a pass.
     */
    public int count(ExpenseFilter f) {
        if (f.selectsAll()) {
            return expenses.size();
        }
        DateOrder kept = orders == null ? null : orders.orderFor(f);
        return kept != null ? kept.count(f.from(), f.to()) : select(f).size();
    }

    /**
     * Sums of the selected expenses (paging ignored) per group and per currency: from the
     * running totals, O(groups), when the filter selects all; else one pass.
     */
    public Totals totals(GroupBy by, ExpenseFilter f) {
        if (f.selectsAll()) {
            return running.totals(by);
        }
        TreeMap<String, SortedMap<String, BigDecimal>> groups = new TreeMap<>();
        for (Expense e : select(f)) {
            groups.computeIfAbsent(by.key(e), k -> new TreeMap<>())
                    .merge(e.amount().currencyCode(), e.amount().amount(), BigDecimal::add);
        }
        return new Totals(by, groups);
    }

    /**
     * Whether {@link #list} and {@link #count} of {@code f} are answered from a kept order (a
     * page's own cost and a step per date) rather than by a pass over every expense: false for a
     * text filter, a category and a payer together, and on a {@link #copy} (which keeps no
     * orders). The event loop answers such reads itself and hands the others to a reader thread.
     */
    public boolean keptOrderAnswers(ExpenseFilter f) {
        return orders != null && orders.orderFor(f) != null;
    }

    /** A page of {@link #list} and the {@link #count} it is a page of. */
    public record Page(int total, List<Expense> expenses) {}

    /**
     * {@link #list} and {@link #count} of {@code f} together, with at most one pass over the
     * expenses and one sort of the matches (a reader thread's answer from a {@link #copy}).
     */
    public Page page(ExpenseFilter f) {
        if (keptOrderAnswers(f)) {
            return new Page(count(f), list(f));
        }
        List<Expense> out = select(f);
        out.sort(LIST_ORDER);
        int from = Math.min(f.offset(), out.size());
        int to = (int) Math.min((long) from + f.limit(), out.size());
        return new Page(out.size(), List.copyOf(out.subList(from, to)));
    }

    /**
     * Every expense {@code f} selects (paging ignored), in list order (date, then creation), as
     * an array the caller owns: one pass and one sort, O(n log n). For an export's frozen view,
     * built from a {@link #copy} on a reader thread.
     */
    public Expense[] sorted(ExpenseFilter f) {
        Expense[] out = select(f).toArray(new Expense[0]);
        java.util.Arrays.sort(out, LIST_ORDER);
        return out;
    }

    /** The expenses the filter selects (paging ignored), in no particular order. */
    private List<Expense> select(ExpenseFilter f) {
        DateOrder kept = orders == null ? null : orders.orderFor(f);
        if (kept != null) {
            // only the selected ones, not a pass over the ledger
            long[] indices = kept.all(f.from(), f.to());
            List<Expense> out = new ArrayList<>(indices.length);
            for (long index : indices) {
                out.add(expenses.get(index));
            }
            return out;
        }
        List<Expense> out = new ArrayList<>();
        for (Expense e : expenses) {
            if (f.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- whole state ------------------------------------------------------------------------

    /**
     * The whole state as a JSON tree, the same on every replica in the same state:
     * {@code {"format":2,"applied_index":N,"applied_term":T,"clock":MS,"session_ttl":MS,
     * "sessions_expired":N,"expenses":[expense...],
     * "sessions":[{"client_id":..,"seq":..,"result":{result},"last_active":MS}...]}}, expenses in
     * id order (creating index), sessions in client id order. Format 1, written while the
     * ledger has no clock, has neither the clock, the TTL, the count nor last_active; each reads
     * as 0. In either format an expense carries {@code created_by}/{@code updated_by} only where
     * they are known ({@link LedgerCodec#expenseToJson}).
     */
    public ObjectNode toSnapshot() {
        ObjectNode o = Codec.objectNode();
        boolean timed = format() >= 2;
        o.put("format", format());
        o.put("applied_index", appliedIndex);
        o.put("applied_term", appliedTerm);
        if (timed) {
            o.put("clock", clock);
            o.put("session_ttl", sessionTtlMs);
            o.put("sessions_expired", sessionsExpired);
        }
        ArrayNode list = o.putArray("expenses");
        for (Expense e : expenses) {
            list.add(LedgerCodec.expenseToJson(e));
        }
        ArrayNode table = o.putArray("sessions");
        for (Map.Entry<String, Session> s : new TreeMap<>(sessions).entrySet()) {
            ObjectNode entry = table.addObject();
            entry.put("client_id", s.getKey());
            entry.put("seq", s.getValue().seq());
            entry.set("result", LedgerCodec.resultToJson(s.getValue().result()));
            if (timed) {
                entry.put("last_active", s.getValue().lastActive());
            }
        }
        return o;
    }

    /**
     * A ledger in the state {@link #toSnapshot()} wrote; validates everything and refuses
     * inconsistent state. The same reader as {@link #readSnapshot(JsonParser)}, run over the tree.
     */
    public static Ledger fromSnapshot(JsonNode snapshot) throws LedgerException {
        LedgerCodec.object(snapshot, "a snapshot");
        try (JsonParser p = snapshot.traverse()) {
            return LedgerSnapshot.read(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("walking a tree in memory cannot fail", e);
        }
    }

    /**
     * Streams the document {@link #toSnapshot()} builds, as one JSON value, without building it:
     * through a {@link Codec#generator} the bytes are exactly {@code Codec.toBytes(toSnapshot())}.
     * The generator is neither flushed nor closed (the value may be part of a larger document).
     * Call it on the thread that owns this ledger, or on a {@link #copy} handed to another.
     */
    public void writeSnapshot(JsonGenerator g) throws IOException {
        LedgerSnapshot.write(g, this, expenses, sessions);
    }

    /** {@link #writeSnapshot(JsonGenerator)} as the whole of {@code out}: flushed, not closed. */
    public void writeSnapshot(OutputStream out) throws IOException {
        try (JsonGenerator g = Codec.generator(out)) {
            writeSnapshot(g);
        }
    }

    /**
     * Reads a document {@link #writeSnapshot(JsonGenerator)} (or {@link #toSnapshot()}) wrote,
     * one expense at a time, with {@link #fromSnapshot}'s validation. The document is the value
     * at the parser's current token, or at its next token if it has none yet (a fresh parser);
     * the parser is left on the document's closing brace, so it may be part of a larger
     * document. Use a {@link Codec#parser}, which refuses duplicate keys inside expenses.
     *
     * @throws LedgerException the document is invalid, inconsistent, not JSON or truncated
     * @throws IOException     the stream itself failed
     */
    public static Ledger readSnapshot(JsonParser p) throws LedgerException, IOException {
        return LedgerSnapshot.read(p, false);
    }

    /** {@link #readSnapshot(JsonParser)} of the whole of {@code in}: content after the document is refused. */
    public static Ledger readSnapshot(InputStream in) throws LedgerException, IOException {
        try (JsonParser p = Codec.parser(in)) {
            return LedgerSnapshot.read(p, true);
        }
    }

    /**
     * SHA-256 (hex) of the canonical JSON of {@link #toSnapshot()}: expenses, dedup table and
     * applied index/term. Equal on two replicas exactly when their states are equal. The JSON
     * is streamed into the digest ({@link #writeSnapshot(OutputStream)}, the same bytes), so a
     * large ledger is not doubled in memory to check it.
     */
    public String stateDigest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a digest cannot fail", e);
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }
}

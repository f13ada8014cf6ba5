package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake cluster's replicated state: one log that every fake node shares (as if replication
 * were instant), a real {@link Ledger} (with its dedup table) that applies the log's ledger
 * commands, and the STOREs. A fake leader appends and applies at once, so everything appended
 * is committed and applied.
 */
public final class FakeLog {

    /** One log entry: {@code data} is {} (no-op), {key, value} (STORE) or a ledger command. */
    public record Entry(long term, JsonNode data) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Ledger ledger = new Ledger();
    /** The cluster's membership, which the fake leader changes through this log. */
    public final FakeMembers members = new FakeMembers();
    private volatile int pageLimit = Integer.MAX_VALUE;

    /** The most expenses or log entries a fake sends in one reply, to make raftctl page. */
    public void pageLimit(int limit) {
        pageLimit = limit;
    }

    public int pageLimit() {
        return pageLimit;
    }

    public synchronized long appendNoop(long term) {
        entries.add(new Entry(term, JsonNodeFactory.instance.objectNode()));
        long index = entries.size() - 1;
        ledger.applyNoop(index, term);
        return index;
    }

    /** A configuration entry (a no-op for the ledger), as raftd writes one for a membership change. */
    public synchronized long appendConfig(long term) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("config", members.describe(null, false, -1).get("members"));
        entries.add(new Entry(term, data));
        long index = entries.size() - 1;
        ledger.applyNoop(index, term);
        return index;
    }

    public synchronized long appendStore(long term, JsonNode key, JsonNode value) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("key", key);
        data.set("value", value);
        entries.add(new Entry(term, data));
        long index = entries.size() - 1;
        ledger.applyNoop(index, term);
        return index;
    }

    /** Appends a ledger command and applies it; returns the ledger's result and the entry's index. */
    public synchronized Applied appendCommand(long term, JsonNode command) {
        entries.add(new Entry(term, command.deepCopy()));
        long index = entries.size() - 1;
        return new Applied(index, ledger.apply(index, term, command));
    }

    public record Applied(long index, LedgerResult result) {}

    /**
     * Lets every session expire, as a real leader's stamps would after a day without writes:
     * two stamped writes from a passing client, a TTL apart.
     */
    public synchronized void expireAllSessions(long term) {
        long ttl = Ledger.DEFAULT_SESSION_TTL_MS;
        long t0 = 1_796_601_600_000L;
        for (long time : new long[] {t0, t0 + ttl + 1, t0 + 2 * ttl + 2}) {
            ObjectNode cmd = LedgerCodec.commandToJson(new dev.raftledger.common.ledger.LedgerCommand.Delete(
                    "passing-" + time, 1, "E999999"));
            LedgerCodec.stamped(cmd, new Ledger.Stamp(time, ttl));
            appendCommand(term, cmd);
        }
    }

    public synchronized long lastIndex() {
        return entries.size() - 1;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Every STORE as the convention's COMMITED_LOGS: [{term, key, value}]. */
    public synchronized ArrayNode stores() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Entry e : entries) {
            if (e.data().has("key") && e.data().has("value") && !e.data().has("op")) {
                ObjectNode o = out.addObject();
                o.put("term", e.term());
                o.set("key", e.data().get("key"));
                o.set("value", e.data().get("value"));
            }
        }
        return out;
    }

    public synchronized List<Expense> list(ExpenseFilter f) {
        return ledger.list(f);
    }

    public synchronized int count(ExpenseFilter f) {
        return ledger.count(f);
    }

    public synchronized Ledger ledger() {
        return ledger;
    }

    /** Every expense, in the ledger's order. */
    public synchronized List<Expense> expenses() {
        return ledger.list(ExpenseFilter.all());
    }
}

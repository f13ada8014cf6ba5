package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.GroupBy;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One fake node: answers controller requests the way raftd does (docs/protocol.md), from state
 * the test sets, and records every request it gets. A silent node records but never answers.
 *
 * <p>The ledger requests work on the cluster's shared {@link FakeLog}: a node in state
 * "leader" appends and applies writes at once (so everything is committed), a follower answers
 * writes and leader-only reads with LEADER_INFO, any node answers stale reads and LOG. Faults
 * for the next request of a kind are queued with {@link #once}: {@link #loseReply()},
 * {@link #dropRequest()}, {@link #notCommitted()}, or any function of the request (null: no reply).
 */
public final class FakeNode {

    private final String name;
    private final String host;
    private final DatagramSocket socket;
    private final Thread thread;
    private final FakeLog log;
    private final List<ControllerMessage> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Function<ControllerMessage, ControllerMessage>>> faults = new HashMap<>();

    private volatile String state = "follower";
    private volatile long term = 1;
    private volatile String leader;
    private volatile Long heartbeatAgeMs = 42L;
    private final java.util.List<String[]> alarms = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Sessions reported in STATUS (and 180 bytes each); null: not reported, as an older raftd. */
    private volatile Long sessions;
    private volatile String version = "test";
    private volatile long behind;
    private volatile boolean silent;
    private volatile Function<ControllerMessage, ControllerMessage> override;
    private final Map<String, Long> heardMs = new java.util.concurrent.ConcurrentHashMap<>();
    /** How it seals and opens datagrams (none: plain JSON, as the convention). */
    private volatile dev.raftledger.common.auth.ClusterAuth auth = dev.raftledger.common.auth.ClusterAuth.none();
    /** Reported in STATUS as its keyring (null: no keyring section). */
    private volatile dev.raftledger.common.wire.StatusReply.Keyring keyring;
    private final List<dev.raftledger.common.auth.Identity> callers = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong refusedDatagrams = new java.util.concurrent.atomic.AtomicLong();

    public FakeNode(String name, String host, DatagramSocket socket, FakeLog log) {
        this.name = name;
        this.host = host;
        this.socket = socket;
        this.log = log;
        this.thread = new Thread(this::serve, "fake-" + name);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public FakeNode state(String s) {
        state = s;
        return this;
    }

    public FakeNode term(long t) {
        term = t;
        return this;
    }

    public FakeNode leader(String l) {
        leader = l;
        return this;
    }

    public FakeNode heartbeatAgeMs(Long age) {
        heartbeatAgeMs = age;
        return this;
    }

    /** Reports this release in STATUS (default "test"). */
    public FakeNode version(String v) {
        version = v;
        return this;
    }

    /** Reports this many client sessions in STATUS; null: none reported, as an older raftd. */
    public FakeNode sessions(Long count) {
        sessions = count;
        return this;
    }

    /** Reports commit and applied indices {@code entries} behind the shared log, as a slow follower would. */
    public FakeNode behind(long entries) {
        behind = entries;
        return this;
    }

    /**
     * As a leader, reports in STATUS ({@code follower_heard_ms}) that it last heard from
     * {@code follower} {@code ms} ago; -1: not in this term (reported as null).
     */
    public FakeNode heard(String follower, long ms) {
        heardMs.put(follower, ms);
        return this;
    }

    /** Reports in STATUS a NO_SPACE alarm of {@code member} (this node or, as a leader, a follower). */
    public FakeNode alarm(String member, String reason) {
        alarms.add(new String[] {member, reason});
        return this;
    }

    /**
     * Opens requests and seals replies as raftd does with {@code keys}: a datagram it cannot open
     * is dropped unanswered (and counted), a request outside the caller's role is answered
     * ERROR FORBIDDEN with raftd's message, WHOAMI says who the caller is, and a reply is sealed
     * with the key its request came with.
     */
    public FakeNode keyed(dev.raftledger.common.auth.Keyring keys) {
        auth = dev.raftledger.common.auth.ClusterAuth.with(keys, name, System::currentTimeMillis, 0);
        return this;
    }

    /** Reports {@code k} in STATUS as its keyring (null: no keyring section, as a node without a key). */
    public FakeNode keyring(dev.raftledger.common.wire.StatusReply.Keyring k) {
        keyring = k;
        return this;
    }

    /** Who sealed each request it opened, in order (empty without a key). */
    public List<dev.raftledger.common.auth.Identity> callers() {
        return List.copyOf(callers);
    }

    /** Datagrams it could not open (a key it does not hold, plain JSON while keyed, ...). */
    public long refusedDatagrams() {
        return refusedDatagrams.get();
    }

    public FakeNode silent() {
        silent = true;
        return this;
    }

    /** Answers every request with whatever {@code f} returns instead of the usual reply. */
    public FakeNode replyWith(Function<ControllerMessage, ControllerMessage> f) {
        override = f;
        return this;
    }

    /**
     * The next {@code request} this node gets is answered by {@code handler} instead (null: no
     * reply); handlers queue up, one per request.
     */
    public FakeNode once(String request, Function<ControllerMessage, ControllerMessage> handler) {
        synchronized (faults) {
            faults.computeIfAbsent(request, k -> new ArrayDeque<>()).add(handler);
        }
        return this;
    }

    /**
     * The next {@code n} LEADER_INFO requests are answered "no leader"; from the one after on the
     * node answers from its state. For tests of an election that ends after a while, counted in
     * requests rather than time.
     */
    public FakeNode noLeaderForRequests(int n) {
        for (int i = 0; i < n; i++) {
            once("LEADER_INFO", r -> message("LEADER_INFO", "LEADER", null));
        }
        return this;
    }

    /** Handles the request as usual, then loses the reply. */
    public Function<ControllerMessage, ControllerMessage> loseReply() {
        return r -> {
            reply(r);
            return null;
        };
    }

    /** Loses the request: nothing is done, nothing is answered. */
    public Function<ControllerMessage, ControllerMessage> dropRequest() {
        return r -> null;
    }

    /** Answers ERROR/NOT_COMMITTED without doing anything. */
    public Function<ControllerMessage, ControllerMessage> notCommitted() {
        return r -> error("NOT_COMMITTED", r.request() + ": leadership changed before the entry committed");
    }

    public List<ControllerMessage> received() {
        return List.copyOf(received);
    }

    /** The requests named {@code request} received so far. */
    public List<ControllerMessage> received(String request) {
        return received.stream().filter(m -> m.request().equals(request)).toList();
    }

    /** The request names received so far, polling until at least {@code atLeast} arrived or time is up. */
    public List<String> awaitRequests(int atLeast, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < atLeast && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        return received.stream().map(ControllerMessage::request).toList();
    }

    private void serve() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed by close()
            }
            ControllerMessage request;
            dev.raftledger.common.auth.Opened opened;
            try {
                opened = auth.open(packet.getData(), packet.getOffset(), packet.getLength());
                request = Codec.decodeController(opened.message(), 0, opened.message().length);
            } catch (dev.raftledger.common.auth.AuthException e) {
                refusedDatagrams.incrementAndGet();
                continue;
            } catch (MalformedMessageException e) {
                continue;
            }
            received.add(request);
            dev.raftledger.common.auth.Identity who = opened.identity();
            if (who != null) {
                callers.add(who);
            }
            if (silent) {
                continue;
            }
            Function<ControllerMessage, ControllerMessage> fault;
            synchronized (faults) {
                Deque<Function<ControllerMessage, ControllerMessage>> queue = faults.get(request.request());
                fault = queue == null ? null : queue.poll();
            }
            Function<ControllerMessage, ControllerMessage> f = fault != null ? fault : override;
            ControllerMessage answer = forbidden(request, who);
            if (answer == null) {
                answer = "WHOAMI".equals(request.request()) && f == null ? whoami(who, opened.key())
                        : f != null ? f.apply(request) : reply(request);
            }
            if (answer == null) {
                continue;
            }
            byte[] reply = auth.sealWith(opened.key(), Codec.encode(answer), dev.raftledger.common.auth.ClusterAuth.CLIENT);
            try {
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** As raftd's Listener: a request outside the caller's role is refused FORBIDDEN; null if it is allowed. */
    private ControllerMessage forbidden(ControllerMessage request, dev.raftledger.common.auth.Identity who) {
        var known = dev.raftledger.common.wire.ControllerRequest.fromWire(request.request());
        if (who == null || known.isEmpty() || who.role().permits(known.get())) {
            return null;
        }
        return error("FORBIDDEN", known.get() + " needs the role "
                + dev.raftledger.common.auth.Role.needed(known.get()).wireName() + "; " + who.name() + " is a "
                + who.role().wireName());
    }

    /** As raftd's WHOAMI: who the caller is (without a key: anyone, as admin). */
    private ControllerMessage whoami(dev.raftledger.common.auth.Identity who, dev.raftledger.common.auth.Key key) {
        dev.raftledger.common.wire.WhoamiReply r = who == null
                ? new dev.raftledger.common.wire.WhoamiReply(false, null, "admin", false, null)
                : new dev.raftledger.common.wire.WhoamiReply(true, who.name(), who.role().wireName(), who.node(),
                        key.fingerprint());
        return message("WHOAMI", "RESULT", r.toJson());
    }

    /** As raftd: TIMEOUT, CONVERT_FOLLOWER and SHUTDOWN are answered only when the request asks ("ack": true). */
    private static ControllerMessage acknowledged(ControllerMessage request, ControllerMessage reply) {
        return request.ack() ? reply : null;
    }

    /** raftd's replies, as in the protocol's table. */
    public ControllerMessage reply(ControllerMessage request) {
        switch (request.request()) {
            case "LEADER_INFO":
                return message("LEADER_INFO", "LEADER", leader == null ? null : TextNode.valueOf(leader));
            case "STATUS":
                return message("STATUS", "STATUS", status());
            case "TIMEOUT":
                term++;
                state = "candidate";
                leader = null;
                return acknowledged(request, message("TIMEOUT", "STATE", TextNode.valueOf(state)));
            case "CONVERT_FOLLOWER":
                state = "follower";
                return acknowledged(request, message("CONVERT_FOLLOWER", "STATE", TextNode.valueOf(state)));
            case "SHUTDOWN":
                return acknowledged(request, message("SHUTDOWN", "STATE", TextNode.valueOf("stopping")));
            case "STORE":
                if (!isLeader()) {
                    return leaderInfo();
                }
                if (request.key() == null || request.value() == null) {
                    return error("MALFORMED", "STORE needs both key and value");
                }
                return committed("STORE", log.appendStore(term, request.key(), request.value()));
            case "RETRIEVE":
                return isLeader() ? message("RETRIEVE", "COMMITED_LOGS", log.stores()) : leaderInfo();
            case "EXPENSE":
                return expense(request);
            case "EXPENSES":
                return expenses(request);
            case "LOG":
                return logPage(request);
            case "SNAPSHOT": {
                ObjectNode saved = Codec.objectNode();
                saved.put("index", 41);
                saved.put("term", term);
                saved.put("size", 5120);
                saved.put("log_first_index", 32);
                return message("SNAPSHOT", "SAVED", saved);
            }
            case "TRANSFER_LEADER":
                return isLeader() ? transferring(request) : leaderInfo();
            case "MEMBERS":
                return message("MEMBERS", "MEMBERS", log.members.describe(leader, isLeader(), log.lastIndex()));
            case "MEMBER_ADD":
            case "MEMBER_PROMOTE":
            case "MEMBER_REMOVE":
                return memberChange(request);
            default:
                return error("UNKNOWN_REQUEST", "unknown request '" + request.request() + "'");
        }
    }

    /**
     * The leader's TRANSFER_LEADER reply, naming the requested follower (none if none was): the
     * hand-over itself is the test's to stage, with {@link #once} and {@link FakeCluster#electLeader}.
     */
    public ControllerMessage transferring(ControllerMessage request) {
        JsonNode to = request.value() == null ? null : request.value().get("to");
        ObjectNode value = Codec.objectNode();
        value.put("from", name);
        value.set("to", to);
        value.put("term", term);
        return message("TRANSFER_LEADER", "TRANSFERRING", value);
    }

    /** A membership change as raftd's leader serves it: committed at once here, or refused. */
    private ControllerMessage memberChange(ControllerMessage request) {
        if (!isLeader()) {
            return leaderInfo();
        }
        String[] refused = log.members.change(request.request(), request.value());
        if (refused != null) {
            return error(refused[0], refused[1]);
        }
        long index = log.appendConfig(term);
        return message(request.request(), "COMMITTED", log.members.committedValue(index, term));
    }

    private boolean isLeader() {
        return "leader".equals(state);
    }

    private ControllerMessage leaderInfo() {
        return message("LEADER_INFO", "LEADER", leader == null ? null : TextNode.valueOf(leader));
    }

    private ControllerMessage committed(String request, long index) {
        ObjectNode at = Codec.objectNode();
        at.put("index", index);
        at.put("term", term);
        return message(request, "COMMITTED", at);
    }

    /** EXPENSE as docs/protocol.md has it: invalid commands refused at once, others appended and applied. */
    private ControllerMessage expense(ControllerMessage request) {
        if (!isLeader()) {
            return leaderInfo();
        }
        try {
            LedgerCodec.commandFromJson(request.value());
        } catch (LedgerException e) {
            return error("INVALID", e.getMessage());
        }
        FakeLog.Applied applied = log.appendCommand(term, request.value());
        ObjectNode v = LedgerCodec.resultToJson(applied.result());
        v.put("index", applied.index());
        v.put("term", term);
        return message("EXPENSE", "RESULT", v);
    }

    /** Export cursors as raftd keeps them: a frozen list per id (docs/protocol.md, "Exports from one point"). */
    private final java.util.Map<String, List<Expense>> cursors = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean keepsCursors = true;

    /** From now on this node ignores {@code consistent}, as a release before export cursors did. */
    public FakeNode withoutCursors() {
        keepsCursors = false;
        return this;
    }

    /** Forgets every open cursor, as raftd does when one expires or it restarts. */
    public FakeNode dropCursors() {
        cursors.clear();
        return this;
    }

    private ControllerMessage expenses(ControllerMessage request) {
        JsonNode q = request.value();
        if (q == null || !q.isObject()) {
            return error("MALFORMED", "EXPENSES needs a query object");
        }
        if (keepsCursors && q.hasNonNull("cursor")) {
            List<Expense> view = cursors.get(q.get("cursor").asText());
            if (view == null) {
                return error("CURSOR_GONE", "EXPENSES: no export cursor '" + q.get("cursor").asText() + "' on this node");
            }
            int offset = q.path("filter").path("offset").asInt(0);
            int limit = Math.min(q.path("filter").path("limit").asInt(Integer.MAX_VALUE), log.pageLimit());
            return cursorPage(q.get("cursor").asText(), view, offset, limit);
        }
        boolean stale = q.path("stale").asBoolean(false);
        if (!stale && !isLeader()) {
            return leaderInfo();
        }
        if (keepsCursors && q.path("consistent").asBoolean(false)) {
            try {
                ExpenseFilter f = LedgerCodec.filterFromJson(q.has("filter") ? q.get("filter") : Codec.objectNode());
                String id = "cursor" + (cursors.size() + 1);
                cursors.put(id, log.list(f.withPage(0, ExpenseFilter.NO_LIMIT)));
                return cursorPage(id, cursors.get(id), 0, Math.min(f.limit(), log.pageLimit()));
            } catch (LedgerException e) {
                return error("INVALID", e.getMessage());
            }
        }
        ExpenseFilter filter;
        try {
            filter = LedgerCodec.filterFromJson(q.has("filter") ? q.get("filter") : Codec.objectNode());
        } catch (LedgerException e) {
            return error("INVALID", e.getMessage());
        }
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", log.lastIndex());
        v.put("commit_index", log.lastIndex());
        v.put("leader", leader);
        v.put("stale", stale);
        String query = q.path("query").asText();
        if (query.equals("totals")) {
            try {
                GroupBy by = GroupBy.fromWire(q.path("by").asText(null));
                v.set("totals", LedgerCodec.totalsToJson(log.ledger().totals(by, filter)));
            } catch (LedgerException e) {
                return error("INVALID", e.getMessage());
            }
        } else if (query.equals("list")) {
            int limit = Math.min(filter.limit(), log.pageLimit());
            List<Expense> page = log.list(filter.withPage(filter.offset(), limit));
            v.put("total", log.count(filter));
            v.set("expenses", LedgerCodec.expensesToJson(page));
        } else {
            return error("INVALID", "query: must be list or totals");
        }
        return message("EXPENSES", "RESULT", v);
    }

    private ControllerMessage cursorPage(String id, List<Expense> view, int offset, int limit) {
        int from = Math.min(offset, view.size());
        int to = (int) Math.min((long) from + limit, view.size());
        boolean writers = view.stream().anyMatch(e -> e.createdBy() != null || e.updatedBy() != null);
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", log.lastIndex());
        v.put("commit_index", log.lastIndex());
        v.put("leader", leader);
        v.put("stale", false);
        v.put("total", view.size());
        v.put("cursor", id);
        v.put("writers", writers);
        v.set("expenses", LedgerCodec.expensesToJson(view.subList(from, to)));
        return message("EXPENSES", "RESULT", v);
    }

    private ControllerMessage logPage(ControllerMessage request) {
        JsonNode q = request.value();
        long from = q == null ? 0 : q.path("from").asLong(0);
        long limit = Math.min(q == null ? 100 : q.path("limit").asLong(100), log.pageLimit());
        List<FakeLog.Entry> all = log.entries();
        ObjectNode v = Codec.objectNode();
        v.put("applied_index", all.size() - 1);
        v.put("first_index", 0);
        ArrayNode entries = v.putArray("entries");
        for (long i = from; i < all.size() && i < from + limit; i++) {
            ObjectNode e = entries.addObject();
            e.put("index", i);
            e.put("term", all.get((int) i).term());
            e.set("data", all.get((int) i).data());
        }
        return message("LOG", "ENTRIES", v);
    }

    public ControllerMessage error(String code, String text) {
        return message("ERROR", code, TextNode.valueOf(text));
    }

    private ControllerMessage message(String request, String key, JsonNode value) {
        return new ControllerMessage(name, request, term, TextNode.valueOf(key), value);
    }

    private ObjectNode status() {
        ObjectNode s = Codec.objectNode();
        s.put("name", name);
        s.put("address", host);
        s.put("state", state);
        s.put("term", term);
        s.putNull("voted_for");
        s.put("leader", leader);
        s.put("heartbeat_age_ms", heartbeatAgeMs);
        long last = log.lastIndex();
        s.put("last_log_index", last);
        s.put("last_log_term", last < 0 ? 0 : log.entries().get((int) last).term());
        s.put("log_length", last + 1);
        s.put("commit_index", Math.max(-1, last - behind));
        s.put("applied_index", Math.max(-1, last - behind));
        if (!heardMs.isEmpty()) {
            ObjectNode heard = s.putObject("follower_heard_ms");
            new java.util.TreeMap<>(heardMs).forEach((peer, ms) -> {
                if (ms < 0) {
                    heard.putNull(peer);
                } else {
                    heard.put(peer, ms);
                }
            });
        }
        s.put("uptime_ms", 1234);
        s.put("version", version);
        if (sessions != null) {
            s.put("sessions", sessions);
            s.put("sessions_bytes", sessions * 180);
        }
        s.putObject("counters").put("elections_started", 0);
        if (keyring != null) {
            s.set("keyring", new dev.raftledger.common.wire.StatusReply(null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, keyring).toJson().get("keyring"));
        }
        if (!alarms.isEmpty()) {
            var a = s.putArray("alarms");
            alarms.forEach(m -> a.addObject().put("node", m[0]).put("alarm", "NO_SPACE").put("reason", m[1]));
        }
        return s;
    }

    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

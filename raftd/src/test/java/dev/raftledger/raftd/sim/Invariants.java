package dev.raftledger.raftd.sim;

import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.ExpenseFilter;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerResult;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.sim.Violation.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The rules checked during and after a run. Each check throws a {@link Violation} the moment it
 * fails. The checks use only what a node exposes (its core's log and role, its ledger) and what
 * the simulator saw happen, never the core's private state.
 */
final class Invariants {

    /** A write some client was told succeeded: its n-th write, sent with this seq, created this expense. */
    record Acked(String clientId, long write, long seq, String expenseId, long at) {
        String key() {
            return SimClient.key(clientId, write);
        }
    }

    private record Pos(long index, long term) {}

    /** The first entry seen at a (index, term): its content and the term of the entry before it. */
    private record Seen(Payload data, long prevTerm, String node) {}

    private final List<SimNode> nodes;
    private final LongSupplier clock;

    /** Election safety: the one leader of each term, as any node saw it. */
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    /** Log matching, incrementally: every entry ever written, by (index, term). */
    private final Map<Pos, Seen> written = new HashMap<>();
    /** State machine safety: the entry first applied at each index (0, 1, ...), on any node. */
    private final List<Entry> committed = new ArrayList<>();
    /** The term of the node that first applied each index: at least the term the entry committed in. */
    private final List<Long> committedTerm = new ArrayList<>();
    /** The term in which each node was last checked for leader completeness. */
    private final Map<String, Long> completenessChecked = new HashMap<>();
    /** Ledger digests at sampled applied indices: every node reaching that index must match. */
    private final Map<Long, String> digestAt = new HashMap<>();
    /** Ledger digests of snapshots by their last index: every snapshot of one index must match. */
    private final Map<Long, String> snapshotDigestAt = new HashMap<>();
    /** Exactly once: every write ever proposed, the result first seen for each, and each client's last acknowledgement. */
    private final Set<String> proposed = new HashSet<>();
    private final Map<String, String> resultOf = new HashMap<>();
    private final Map<String, Acked> lastAcked = new TreeMap<>();
    private final List<Acked> acked = new ArrayList<>();
    /** Per node, the writes its current ledger has created an expense for (reset on restart). */
    private final Map<String, Set<String>> createdOn = new HashMap<>();

    /** A ledger digest is sampled at every index with these low bits set (digests are not cheap). */
    static final long DIGEST_MASK = 31;

    /** The configuration every initial node starts from (Node1-Node5, all voters). */
    private final ClusterConfig initial;
    /** Every configuration entry committed, by index (first applied anywhere). */
    private final TreeMap<Long, ClusterConfig> committedConfigs = new TreeMap<>();

    Invariants(List<SimNode> nodes, LongSupplier clock, ClusterConfig initial) {
        this.nodes = nodes;
        this.clock = clock;
        this.initial = initial;
    }

    private Violation fail(Check check, String message) {
        return new Violation(check, clock.getAsLong(), message);
    }

    int leadersElected() {
        return leaderOfTerm.size();
    }

    int committedCount() {
        return committed.size();
    }

    // ---- after every step --------------------------------------------------------------------------

    /**
     * Election safety over every live node: the leader a node is, or follows, in its term must be
     * the only one ever seen for that term. A node that has just become leader is also checked
     * for leader completeness.
     */
    void observe() {
        for (SimNode n : nodes) {
            RaftCore c = n.core();
            if (c == null) {
                continue;
            }
            boolean leads = c.role() == Role.LEADER;
            String leader = leads ? n.name : c.leader();
            if (leader == null) {
                continue;
            }
            String known = leaderOfTerm.putIfAbsent(c.term(), leader);
            if (known != null && !known.equals(leader)) {
                throw fail(Check.ELECTION_SAFETY, "two leaders in term " + c.term() + ": " + known + " and " + leader
                        + " (" + n.name + (leads ? " leads" : " follows " + leader) + ")");
            }
            if (leads && !Long.valueOf(c.term()).equals(completenessChecked.get(n.name))) {
                completenessChecked.put(n.name, c.term());
                checkLeaderHoldsCommitted(n, 0);
            }
        }
    }

    /**
     * Log matching, checked as entries are written: the entry at (index, term) must be the same
     * everywhere, and so must the term of the entry before it. By induction on the index, two
     * logs that share an (index, term) then agree on every entry up to it.
     */
    void onWritten(SimNode n, List<Entry> appended) {
        RaftCore c = n.core();
        for (Entry e : appended) {
            long prevTerm = termAt(c, e.index() - 1);
            checkConfigEntry(n, e);
            Seen first = written.putIfAbsent(new Pos(e.index(), e.term()), new Seen(e.data(), prevTerm, n.name));
            if (first != null && (!first.data().equals(e.data()) || first.prevTerm() != prevTerm)) {
                throw fail(Check.LOG_MATCHING, n.name + " wrote entry " + e.index() + "/" + e.term() + " = " + e.data()
                        + " after term " + prevTerm + ", but " + first.node() + " holds " + first.data()
                        + " after term " + first.prevTerm());
            }
        }
    }

    /**
     * State machine safety (the same entry at each index on every node), exactly once on this
     * node's ledger (a write creates at most one expense, and only a write some client sent),
     * sampled ledger equality, and leader completeness for a newly committed entry.
     */
    void onApplied(SimNode n, Entry e, LedgerResult result) {
        int i = (int) e.index();
        if (i < committed.size()) {
            if (!committed.get(i).equals(e)) {
                throw fail(Check.STATE_MACHINE_SAFETY, n.name + " applied " + describe(e) + " at " + i
                        + " where another node applied " + describe(committed.get(i)));
            }
        } else {
            committed.add(e);
            committedTerm.add(n.core().term());
            ClusterConfig k = ClusterConfig.fromPayload(e.data());
            if (k != null) {
                committedConfigs.put(e.index(), k);
            }
            if (n.core().role() == Role.LEADER) {
                checkCommitQuorum(n, e);
            }
            for (SimNode other : nodes) {
                RaftCore c = other.core();
                if (c != null && c.role() == Role.LEADER && c.term() > n.core().term()) {
                    checkLeaderHoldsCommitted(other, i);
                }
            }
        }
        if (result != null && result.ok() && result.expense() != null && result.expense().createdIndex() == e.index()) {
            String key = result.expense().description();
            if (!proposed.contains(key)) {
                throw fail(Check.EXACTLY_ONCE, n.name + " created expense " + result.id() + " for write " + key
                        + ", which no client ever sent");
            }
            if (!createdOn.computeIfAbsent(n.name, k -> new HashSet<>()).add(key)) {
                throw fail(Check.EXACTLY_ONCE, n.name + " applied write " + key + " a second time, at " + e.index());
            }
        }
        if ((e.index() & DIGEST_MASK) == DIGEST_MASK) {
            String digest = n.ledger().stateDigest();
            String first = digestAt.putIfAbsent(e.index(), digest);
            if (first != null && !first.equals(digest)) {
                throw fail(Check.LEDGER_DIVERGENCE, n.name + "'s ledger at applied index " + e.index()
                        + " differs from another node's at the same index");
            }
        }
    }

    /** Section 5.4: every entry committed in a term before the leader's is in the leader's log. */
    private void checkLeaderHoldsCommitted(SimNode leader, int from) {
        RaftCore c = leader.core();
        for (int i = from; i < committed.size(); i++) {
            if (committedTerm.get(i) >= c.term()) {
                continue; // perhaps committed in this term or later: a leader of this term may lack it
            }
            if (i <= c.snapshot().index()) {
                continue; // in its snapshot: committed entries only, checked when the snapshot was loaded
            }
            if (i > c.lastIndex() || !c.entry(i).equals(committed.get(i))) {
                throw fail(Check.LEADER_COMPLETENESS, leader.name + " leads term " + c.term() + " without "
                        + describe(committed.get(i)) + ", applied at index " + i + " in term " + committedTerm.get(i)
                        + (i > c.lastIndex() ? " (its log ends at " + c.lastIndex() + ")"
                                : " (it holds " + describe(c.entry(i)) + ")"));
            }
        }
    }

    // ---- membership -------------------------------------------------------------------------------

    /**
     * Only a voter campaigns or leads: of its configuration in force, or of its committed one
     * (thesis 4.2.2: a voter removed by a change not yet committed may be needed to commit it). A
     * learner, or a node outside the configuration, never starts an election. Checked on each
     * election started and each leader elected.
     */
    void onCampaignOrLead(SimNode n, String what) {
        ClusterConfig c = n.core().config();
        if (!c.isVoter(n.name) && !n.core().committedConfig().isVoter(n.name)) {
            throw fail(Check.VOTERS_ONLY, n.name + " " + what + " but is " + (c.isMember(n.name) ? "a learner" : "not a member")
                    + " of its configuration: " + c);
        }
    }

    /**
     * Single-server changes (thesis 4.3, with the raft-dev fix of 2015): each configuration entry
     * written anywhere differs from the configuration before it by at most one voter; and a
     * leader writes one only when the previous one is committed and an entry of its own term is.
     */
    private void checkConfigEntry(SimNode n, Entry e) {
        ClusterConfig next = ClusterConfig.fromPayload(e.data());
        if (next == null) {
            return;
        }
        RaftCore c = n.core();
        ClusterConfig before = logConfigAt(c, e.index() - 1);
        if (before == null) {
            before = initial; // no configuration before it anywhere: the cluster's starting list
        }
        if (next.votersChangedFrom(before) > 1) {
            throw fail(Check.SINGLE_CHANGE, n.name + " wrote configuration " + e.index() + "/" + e.term() + " (" + next
                    + ") which changes " + next.votersChangedFrom(before) + " voters of the one before (" + before + ")");
        }
        if (c.role() != Role.LEADER || e.term() != c.term()) {
            return;
        }
        if (termAt(c, c.commitIndex()) != c.term()) {
            throw fail(Check.SINGLE_CHANGE, n.name + " proposed configuration " + e.index() + " in term " + c.term()
                    + " before committing an entry of that term (commit index " + c.commitIndex() + ")");
        }
        for (long i = e.index() - 1; i > c.commitIndex() && i >= c.firstIndex(); i--) {
            if (ClusterConfig.isConfig(c.entry(i).data())) {
                throw fail(Check.SINGLE_CHANGE, n.name + " proposed configuration " + e.index() + " while configuration "
                        + i + " is not committed (commit index " + c.commitIndex() + ")");
            }
        }
    }

    /**
     * When a leader commits an entry, a majority of the voters of its configuration in force hold
     * it (in their log, or in a snapshot): commitment counts the right nodes.
     */
    private void checkCommitQuorum(SimNode leader, Entry e) {
        ClusterConfig config = leader.core().config();
        List<String> holding = new ArrayList<>();
        for (SimNode n : nodes) {
            if (config.isVoter(n.name) && (n.disk.snapshot().index() >= e.index()
                    || n.disk.holds(new LogPosition(e.index(), e.term())))) {
                holding.add(n.name);
            }
        }
        if (holding.size() < config.quorum()) {
            throw fail(Check.COMMIT_QUORUM, leader.name + " committed " + describe(e) + " held only by " + holding
                    + ", no majority of the voters of its configuration " + config);
        }
    }

    /**
     * Thesis 4.1: each node's configuration in force is the latest in its log: its newest
     * configuration entry, else the committed one its snapshot covers, else the list it started
     * with (Node1-Node5 for the initial nodes; a newcomer's own list, which no log holds, is not
     * checked). Catches a configuration lost with a snapshot, or kept after a truncation.
     */
    void checkConfigInForce(SimNode n) {
        RaftCore c = n.core();
        if (c == null) {
            return;
        }
        ClusterConfig expected = logConfigAt(c, c.lastIndex());
        if (expected == null) {
            if (c.snapshot().index() < 0 && !initial.isMember(n.name)) {
                return; // a newcomer that has no configuration entry yet: it follows its own list
            }
            expected = initial;
        }
        if (!expected.equals(c.config())) {
            throw fail(Check.CONFIG_IN_FORCE, n.name + " follows configuration " + c.config() + " but its log (through "
                    + c.lastIndex() + ", snapshot " + c.snapshot().index() + ") says " + expected);
        }
    }

    /**
     * The newest configuration entry in {@code c}'s log at or before {@code index}, else the
     * newest committed one its snapshot covers; null if there is none (the starting list rules).
     */
    private ClusterConfig logConfigAt(RaftCore c, long index) {
        for (long i = Math.min(index, c.lastIndex()); i >= c.firstIndex(); i--) {
            ClusterConfig k = ClusterConfig.fromPayload(c.entry(i).data());
            if (k != null) {
                return k;
            }
        }
        long s = c.snapshot().index();
        Map.Entry<Long, ClusterConfig> k = s >= 0 ? committedConfigs.floorEntry(Math.min(s, index)) : null;
        return k == null ? null : k.getValue();
    }

    void onRestart(SimNode n) {
        createdOn.remove(n.name);
    }

    /**
     * A node's ledger was replaced by a snapshot through {@code at}: it must cover committed
     * entries only, equal (by digest) what any node had applied at that index, and the node's
     * exactly-once bookkeeping restarts from the writes the snapshot holds.
     */
    void onSnapshotLoaded(SimNode n, LogPosition at) {
        if (at.index() >= committed.size()) {
            throw fail(Check.STATE_MACHINE_SAFETY, n.name + " loaded a snapshot through " + at.index()
                    + ", beyond anything committed (" + (committed.size() - 1) + ")");
        }
        if (committed.get((int) at.index()).term() != at.term()) {
            throw fail(Check.STATE_MACHINE_SAFETY, n.name + " loaded a snapshot through " + at.index() + "/" + at.term()
                    + " but the entry committed there is of term " + committed.get((int) at.index()).term());
        }
        String digest = n.ledger().stateDigest();
        String first = snapshotDigestAt.putIfAbsent(at.index(), digest);
        if (first != null && !first.equals(digest)) {
            throw fail(Check.LEDGER_DIVERGENCE, n.name + "'s snapshot through " + at.index()
                    + " differs from another node's snapshot of the same index");
        }
        String applied = digestAt.get(at.index());
        if (applied != null && !applied.equals(digest)) {
            throw fail(Check.LEDGER_DIVERGENCE, n.name + "'s snapshot through " + at.index()
                    + " differs from the ledger nodes had when they applied that index");
        }
        Set<String> created = new HashSet<>();
        for (Expense e : n.ledger().list(ExpenseFilter.all())) {
            created.add(e.description());
        }
        createdOn.put(n.name, created);
        checkConfigInForce(n);
    }

    /** The term at {@code index} in {@code c}'s log, or of its snapshot's last entry; 0 before the start. */
    private static long termAt(RaftCore c, long index) {
        if (index < 0) {
            return 0;
        }
        return index == c.snapshot().index() ? c.snapshot().term() : c.entry(index).term();
    }

    // ---- clients --------------------------------------------------------------------------------

    void onProposed(String key) {
        proposed.add(key);
    }

    /**
     * A node answered a write (the client may no longer be listening: {@code acknowledged} says
     * whether this answer is the one it took). Every answer for one (client, seq) must name the
     * same expense, and a valid add must succeed.
     */
    void onWriteResult(String clientId, long write, long seq, LedgerResult result, boolean acknowledged, String node) {
        String key = SimClient.key(clientId, write);
        if (result == null || !result.ok() || result.expense() == null || !key.equals(result.expense().description())) {
            throw fail(Check.EXACTLY_ONCE, node + " answered write " + key + " with " + result);
        }
        String first = resultOf.putIfAbsent(key, result.id());
        if (first != null && !first.equals(result.id())) {
            throw fail(Check.EXACTLY_ONCE, "write " + key + " answered with expense " + first + " and later " + result.id());
        }
        if (acknowledged) {
            Acked a = new Acked(clientId, write, seq, result.id(), clock.getAsLong());
            acked.add(a);
            lastAcked.put(clientId, a);
        }
    }

    /** What a read sent now must reflect: each client's last acknowledged write. */
    Map<String, Acked> mustSee() {
        return Map.copyOf(lastAcked);
    }

    /** Linearizability of a read served from {@code ledger}: it reflects every write acknowledged before it was sent. */
    void onReadServed(SimNode n, SimNode.PendingRead read, long index) {
        Ledger ledger = n.ledger();
        for (Acked a : read.mustSee().values()) {
            Optional<Ledger.Session> s = ledger.session(a.clientId());
            if (s.isEmpty() || s.get().seq() < a.seq() || ledger.get(a.expenseId()).isEmpty()) {
                throw fail(Check.LINEARIZABLE_READ, n.name + " served a read (index " + index + ", applied "
                        + ledger.appliedIndex() + ") that misses write " + a.key() + " (seq " + a.seq() + ")"
                        + " = " + a.expenseId() + ", acknowledged at t=" + a.at() + " before the read was sent");
            }
        }
    }

    // ---- periodic and final -----------------------------------------------------------------------

    /** The quadratic checks, every so many steps: full log matching, and ledgers at equal applied index. */
    void periodic() {
        checkLogMatching();
        for (SimNode n : nodes) {
            checkConfigInForce(n);
        }
        Map<Long, List<SimNode>> byIndex = new TreeMap<>();
        for (SimNode n : nodes) {
            if (n.isUp() && n.ledger().appliedIndex() >= 0) {
                byIndex.computeIfAbsent(n.ledger().appliedIndex(), i -> new ArrayList<>()).add(n);
            }
        }
        for (Map.Entry<Long, List<SimNode>> group : byIndex.entrySet()) {
            List<SimNode> same = group.getValue();
            String first = same.size() > 1 ? same.get(0).ledger().stateDigest() : null;
            for (int i = 1; i < same.size(); i++) {
                if (!first.equals(same.get(i).ledger().stateDigest())) {
                    throw fail(Check.LEDGER_DIVERGENCE, same.get(0).name + " and " + same.get(i).name
                            + " applied up to " + group.getKey() + " but their ledgers differ");
                }
            }
        }
    }

    /** Section 5.3 over the live logs, pairwise: where two agree on an entry's term they agree up to it. */
    void checkLogMatching() {
        List<SimNode> live = nodes.stream().filter(SimNode::isUp).toList();
        for (int a = 0; a < live.size(); a++) {
            for (int b = a + 1; b < live.size(); b++) {
                RaftCore x = live.get(a).core();
                RaftCore y = live.get(b).core();
                // only where both still hold entries (snapshots cover committed entries, checked apart)
                long from = Math.max(x.firstIndex(), y.firstIndex());
                long agree = -1;
                for (long i = Math.min(x.lastIndex(), y.lastIndex()); i >= from; i--) {
                    if (x.entry(i).term() == y.entry(i).term()) {
                        agree = i;
                        break;
                    }
                }
                for (long i = from; i <= agree; i++) {
                    if (!x.entry(i).equals(y.entry(i))) {
                        throw fail(Check.LOG_MATCHING, x.name() + " and " + y.name() + " share entry " + agree
                                + "/" + x.entry(agree).term() + " but differ at " + i + ": " + describe(x.entry(i))
                                + " vs " + describe(y.entry(i)));
                    }
                }
            }
        }
    }

    /**
     * After the run has converged: every live ledger holds each acknowledged write exactly once,
     * under the expense id its client was given, no expense for a write never sent, and all
     * ledgers are equal.
     */
    void finalChecks(java.util.function.Predicate<SimNode> member) {
        checkLogMatching();
        for (SimNode n : nodes) {
            checkConfigInForce(n);
        }
        String digest = null;
        for (SimNode n : nodes) {
            if (!member.test(n)) {
                continue; // removed from the cluster (or never in it): it need not have the latest entries
            }
            Ledger l = n.ledger();
            Map<String, String> idOf = new HashMap<>();
            for (Expense e : l.list(ExpenseFilter.all())) {
                if (!proposed.contains(e.description())) {
                    throw fail(Check.EXACTLY_ONCE, n.name + " holds " + e.id() + " for write " + e.description()
                            + ", which no client ever sent");
                }
                String twice = idOf.put(e.description(), e.id());
                if (twice != null) {
                    throw fail(Check.EXACTLY_ONCE, n.name + " holds write " + e.description() + " twice: " + twice
                            + " and " + e.id());
                }
            }
            for (Acked a : acked) {
                String id = idOf.get(a.key());
                if (!a.expenseId().equals(id)) {
                    throw fail(Check.EXACTLY_ONCE, "acknowledged write " + a.key() + " = "
                            + a.expenseId() + " (t=" + a.at() + ") is " + (id == null ? "missing" : id) + " on " + n.name);
                }
            }
            String d = l.stateDigest();
            if (digest != null && !digest.equals(d)) {
                throw fail(Check.LEDGER_DIVERGENCE, "ledgers differ after convergence (" + n.name + ")");
            }
            digest = d;
        }
    }

    private static String describe(Entry e) {
        String text = e.data().isNoop() ? "no-op" : e.data().text();
        int at = text.indexOf("\"description\":\"");
        if (at >= 0) {
            int end = text.indexOf('"', at + 15);
            text = "write " + text.substring(at + 15, end);
        }
        return e.index() + "/" + e.term() + " " + text;
    }
}

package dev.raftledger.raftctl.client;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.client.HostLookups;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.Refusal;
import dev.raftledger.raftctl.ClientState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Gets a request to the node that can serve it and retries it until it is served or its time
 * budget runs out. Used by every command that writes (store, expense, import) or reads through
 * the leader (retrieve, expense list/report, export, log).
 *
 * <p><b>Retried requests</b> ({@link #write}, {@link #read}): the last known leader is tried
 * first, else the nodes in the cluster's order. A follower's LEADER_INFO reply is followed to
 * the leader it names (at most {@value #MAX_REDIRECTS} redirects in a row). A node that knows no
 * leader sends us on to the others; once a whole pass finds no leader we poll again, with a short
 * backoff, for at most {@value #ELECTION_WAIT_FACTOR} x the reply timeout. A node that does not
 * answer, or answers {@code ERROR/NOT_COMMITTED}, is retried (after a backoff) or passed over,
 * and one that answers {@code ERROR/TRANSFERRING} (a leader handing over) is passed over,
 * with <em>the same request</em>: for a ledger write that means the same client id and sequence
 * number, which the ledger applies once and answers with the first result every time. Any other
 * ERROR reply is final.
 *
 * <p><b>At-most-once requests</b> ({@link #writeOnce}, the convention's STORE, which carries no
 * client id): a STORE whose outcome is unknown is never sent again, since it would be stored
 * twice. It is sent only to a node that an all-nodes LEADER_INFO round named leader, and followed
 * through redirects (a node that answers LEADER_INFO stored nothing); a leader that does not
 * answer, or answers NOT_COMMITTED, ends it as {@link Failure.Kind#OUTCOME_UNKNOWN}.
 */
public final class LeaderRouter {


    /** Redirects followed in a row before going back to the nodes in order. */
    static final int MAX_REDIRECTS = 3;
    /** How many reply timeouts to wait for an election when no node knows a leader. */
    public static final int ELECTION_WAIT_FACTOR = 4;
    /** Pauses between rounds, the last one repeated. */
    private static final long[] BACKOFF_MS = {20, 40, 80, 160, 250};

    /** A served request: the node that served it, its reply, and how many requests it took. */
    record Reply(NodeAddress node, ControllerMessage message, int attempts) {}

    /** Why a request was not served. The message is one line for people and names the nodes. */
    public static final class Failure extends Exception {

        public enum Kind {
            /** No node answered at all. */
            NO_ANSWER,
            /** Nodes answered, but none knew a leader within the election wait. */
            NO_LEADER,
            /** A write was sent and may or may not have been applied. */
            OUTCOME_UNKNOWN,
            /** A node refused the request with an ERROR reply (the code says which); nothing was done. */
            REFUSED,
            /** The node answered something that is not a valid reply. */
            BAD_REPLY,
            /** Ctrl-C in the shell. */
            INTERRUPTED
        }

        private final Kind kind;
        private final String code;

        Failure(Kind kind, String code, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.code = code;
        }

        public Kind kind() {
            return kind;
        }

        /** For --json: the refusing node's ERROR code (INVALID, MALFORMED, ...), else the kind's name. */
        public String code() {
            return code != null ? code : kind.name();
        }
    }

    private final ClusterSpec cluster;
    private final Duration replyTimeout;
    private final ClientState state;
    private final ClusterAuth auth;
    private final HostLookups lookups;

    public LeaderRouter(ClusterSpec cluster, Duration replyTimeout, ClientState state) {
        this(cluster, replyTimeout, state, ClusterAuth.none());
    }

    public LeaderRouter(ClusterSpec cluster, Duration replyTimeout, ClientState state, ClusterAuth auth) {
        this(cluster, replyTimeout, state, auth, HostLookups.SYSTEM);
    }

    public LeaderRouter(ClusterSpec cluster, Duration replyTimeout, ClientState state, ClusterAuth auth, HostLookups lookups) {
        this.lookups = lookups;
        this.cluster = cluster;
        this.replyTimeout = replyTimeout;
        this.state = state;
        this.auth = auth;
    }

    /** A write only the leader serves, retried with the same content until served or the budget is spent. */
    Reply write(ControllerMessage request, String expect, Duration budget) throws Failure {
        return run(new Call(request, expect, null, false, true, budget));
    }

    /** A read: through the leader, or ({@code anyNode}) from whichever node answers. */
    Reply read(ControllerMessage request, String expect, boolean anyNode, Duration budget) throws Failure {
        return run(new Call(request, expect, null, anyNode, false, budget));
    }

    /** A read from one node only, retried on that node. */
    Reply readFrom(NodeAddress node, ControllerMessage request, String expect, Duration budget) throws Failure {
        return run(new Call(request, expect, node, false, false, budget));
    }

    private record Call(ControllerMessage request, String expect, NodeAddress pinned, boolean anyNode,
                        boolean write, Duration budget) {
        String what() {
            return request.request();
        }
    }

    private Reply run(Call c) throws Failure {
        long deadline = System.nanoTime() + c.budget().toNanos();
        long electionWait = replyTimeout.toNanos() * ELECTION_WAIT_FACTOR;
        List<NodeAddress> nodes = cluster.nodes();
        Problems problems = new Problems();
        NodeAddress target = c.pinned() != null ? c.pinned() : preferred(c);
        int walk = 0;
        int triedThisPass = 0;
        int redirects = 0;
        int backoffs = 0;
        int attempts = 0;
        long noLeaderSince = -1;
        boolean maybeApplied = false;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Failure(Failure.Kind.INTERRUPTED, null, c.what() + ": interrupted" + unknownIf(maybeApplied));
            }
            if (target == null) {
                if (triedThisPass >= nodes.size()) {
                    if (noLeaderSince >= 0 && System.nanoTime() - noLeaderSince >= electionWait) {
                        throw new Failure(maybeApplied ? Failure.Kind.OUTCOME_UNKNOWN : Failure.Kind.NO_LEADER, null,
                                c.what() + ": no leader: no node named one within "
                                        + TimeUnit.NANOSECONDS.toMillis(electionWait) + " ms (" + problems + ")"
                                        + unknownIf(maybeApplied));
                    }
                    pause(backoffs++, deadline);
                    triedThisPass = 0;
                }
                target = nodes.get(walk % nodes.size());
                walk++;
                triedThisPass++;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || (attempts > 0 && left < replyTimeout.toNanos() / 4)) {
                // too little time left for a node to answer: stop rather than send a doomed request
                throw timeUp(c, problems, attempts, maybeApplied, noLeaderSince >= 0);
            }
            NodeAddress asked = target;
            boolean cutShort = left < replyTimeout.toNanos();
            Answer answer = ask(asked, c.request(), Math.min(replyTimeout.toNanos(), left));
            attempts++;
            if (!answer.answered()) {
                problems.put(asked, cutShort && answer.error().startsWith("no reply")
                        ? "no reply before the deadline" : answer.error(), false);
                maybeApplied |= c.write();
                state.notLeader(asked.name());
                redirects = 0;
                if (c.pinned() != null) {
                    pause(backoffs++, deadline);
                } else {
                    target = null;
                }
                continue;
            }
            ControllerMessage reply = answer.reply();
            if (c.expect().equals(reply.request())) {
                if (c.anyNode()) {
                    state.lastReader(asked.name());
                } else if (c.pinned() == null) {
                    state.leader(asked.name());
                }
                return new Reply(asked, reply, attempts);
            }
            if (ControllerRequest.LEADER_INFO.name().equals(reply.request())) {
                state.notLeader(asked.name());
                if (c.pinned() != null) {
                    throw new Failure(Failure.Kind.BAD_REPLY, null, c.what() + ": " + asked.name()
                            + " answered LEADER_INFO instead of serving it");
                }
                String named = reply.valueText();
                Optional<NodeAddress> leader = named == null ? Optional.empty() : cluster.node(named);
                if (named == null) {
                    problems.put(asked, "knows no leader", true);
                    if (noLeaderSince < 0) {
                        noLeaderSince = System.nanoTime();
                    }
                    target = null;
                } else if (leader.isEmpty()) {
                    problems.put(asked, "names leader '" + named + "', which is not in the cluster", true);
                    target = null;
                } else if (leader.get().name().equals(asked.name())) {
                    problems.put(asked, "names itself leader but did not serve the request", true);
                    target = null;
                } else {
                    noLeaderSince = -1;
                    state.leader(named);
                    problems.put(asked, "redirected to " + named, true);
                    if (redirects < MAX_REDIRECTS) {
                        redirects++;
                        target = leader.get();
                    } else {
                        redirects = 0;
                        target = null;
                    }
                }
                continue;
            }
            Optional<Refusal> refused = Refusal.from(reply);
            if (refused.isPresent()) {
                Refusal r = refused.get();
                if (r.is(ControllerError.NOT_COMMITTED)) {
                    problems.put(asked, r.describe(), true);
                    maybeApplied |= c.write();
                    pause(backoffs++, deadline);
                    target = asked; // still the leader, or it will redirect
                    continue;
                }
                if (r.is(ControllerError.TRANSFERRING)) {
                    // nothing was done; the leader is handing over: find the new one shortly
                    problems.put(asked, "handing leadership over", true);
                    pause(backoffs++, deadline);
                    target = null;
                    continue;
                }
                throw refusal(asked.name(), c.what(), r);
            }
            problems.put(asked, "unexpected reply '" + reply.request() + "'", true);
            target = null;
        }
    }

    /** A node's final ERROR reply to a request, as the failure raftctl reports. */
    private static Failure refusal(String node, String what, Refusal r) {
        return new Failure(Failure.Kind.REFUSED, r.code(), node + " refused " + what + ": " + r.describe());
    }

    /**
     * STORE, which the convention gives no client id: sent only to a node just named leader,
     * never resent once its outcome is unknown.
     */
    Reply writeOnce(ControllerMessage request, String expect, Duration budget) throws Failure {
        long deadline = System.nanoTime() + budget.toNanos();
        String what = request.request();
        NodeAddress target = null;
        int redirects = 0;
        int backoffs = 0;
        while (true) {
            if (target == null) {
                target = locateLeader(what, deadline);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Failure(Failure.Kind.NO_ANSWER, null, what + ": no time left to send it to "
                        + target.name() + "; nothing was sent");
            }
            // the leader answers once the entry commits (or says NOT_COMMITTED after 5 s): wait for it
            Answer answer = ask(target, request, left);
            if (!answer.answered()) {
                throw new Failure(Failure.Kind.OUTCOME_UNKNOWN, null, what + ": leader " + target.name()
                        + " did not answer (" + answer.error() + "); it may or may not have stored it. " + what
                        + " carries no client id, so raftctl does not send it again; check with 'raftctl retrieve'");
            }
            ControllerMessage reply = answer.reply();
            if (expect.equals(reply.request())) {
                state.leader(target.name());
                return new Reply(target, reply, 1);
            }
            if (ControllerRequest.LEADER_INFO.name().equals(reply.request())) {
                // a node that answers LEADER_INFO did nothing with the request
                state.notLeader(target.name());
                Optional<NodeAddress> leader = reply.valueText() == null ? Optional.empty() : cluster.node(reply.valueText());
                if (leader.isPresent() && !leader.get().name().equals(target.name()) && redirects < MAX_REDIRECTS) {
                    redirects++;
                    target = leader.get();
                } else {
                    redirects = 0;
                    target = null;
                }
                continue;
            }
            Optional<Refusal> refused = Refusal.from(reply);
            if (refused.isPresent()) {
                Refusal r = refused.get();
                if (r.is(ControllerError.NOT_COMMITTED)) {
                    throw new Failure(Failure.Kind.OUTCOME_UNKNOWN, r.code(), what + ": " + target.name()
                            + " says NOT_COMMITTED" + (r.message() == null ? "" : " (" + r.message() + ")") + ": it may or may not have been stored; " + what
                            + " carries no client id, so raftctl does not send it again; check with 'raftctl retrieve'");
                }
                if (r.is(ControllerError.TRANSFERRING)) {
                    pause(backoffs++, deadline); // refused before anything was stored: safe to send again
                    target = null;
                    continue;
                }
                throw refusal(target.name(), what, r);
            }
            throw new Failure(Failure.Kind.BAD_REPLY, null, what + ": unexpected reply '" + reply.request()
                    + "' from " + target.name());
        }
    }

    /**
     * The leader, as named by an all-nodes LEADER_INFO round (the highest term wins if they
     * disagree). Polls with a backoff while no node names one, for at most the election wait.
     */
    NodeAddress locateLeader(String what, long deadline) throws Failure {
        long since = System.nanoTime();
        long electionWait = replyTimeout.toNanos() * ELECTION_WAIT_FACTOR;
        int backoffs = 0;
        Problems problems = new Problems();
        boolean anyAnswer = false;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Failure(Failure.Kind.INTERRUPTED, null, what + ": interrupted");
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                Duration wait = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(replyTimeout.toNanos(), left)));
                Map<String, Answer> answers = new ControllerClient(wait, 1, auth, lookups)
                        .askAll(cluster, ControllerMessage.request(ControllerRequest.LEADER_INFO.name()));
                NodeAddress best = null;
                long bestTerm = -1;
                for (NodeAddress node : cluster.nodes()) {
                    Answer a = answers.get(node.name());
                    String problem = Replies.problem(a, ControllerRequest.LEADER_INFO);
                    if (problem != null) {
                        problems.put(node, problem, a.answered());
                        anyAnswer |= a.answered();
                        continue;
                    }
                    anyAnswer = true;
                    String named = a.reply().valueText();
                    Optional<NodeAddress> leader = named == null ? Optional.empty() : cluster.node(named);
                    long term = a.reply().term() == null ? 0 : a.reply().term();
                    if (leader.isEmpty()) {
                        problems.put(node, named == null ? "knows no leader" : "names leader '" + named + "', which is not in the cluster", true);
                    } else if (term > bestTerm) {
                        best = leader.get();
                        bestTerm = term;
                    }
                }
                if (best != null) {
                    return best;
                }
            }
            long now = System.nanoTime();
            if (now - since >= electionWait || now >= deadline) {
                long waited = TimeUnit.NANOSECONDS.toMillis(Math.min(now - since, electionWait));
                throw anyAnswer
                        ? new Failure(Failure.Kind.NO_LEADER, null, what + ": no leader: no node named one within "
                                + waited + " ms (" + problems + "); nothing was sent")
                        : new Failure(Failure.Kind.NO_ANSWER, null, what + ": no node answered LEADER_INFO within "
                                + waited + " ms (" + problems + "); nothing was sent");
            }
            pause(backoffs++, deadline);
        }
    }

    private NodeAddress preferred(Call c) {
        String name = c.anyNode() && state.lastReader() != null ? state.lastReader() : state.leader();
        return name == null ? null : cluster.node(name).orElse(null);
    }

    private Answer ask(NodeAddress node, ControllerMessage request, long waitNanos) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
        return new ControllerClient(Duration.ofMillis(millis), 1, auth, lookups).ask(node, request);
    }

    private Failure timeUp(Call c, Problems problems, int attempts, boolean maybeApplied, boolean noLeader) {
        String why = !problems.anyAnswer() ? "no node answered: " : noLeader ? "no leader: " : "";
        String message = c.what() + ": " + why + "gave up after " + c.budget().toMillis() + " ms and " + attempts
                + " request" + (attempts == 1 ? "" : "s") + " (" + problems + ")" + unknownIf(maybeApplied);
        Failure.Kind kind = maybeApplied ? Failure.Kind.OUTCOME_UNKNOWN
                : problems.anyAnswer() ? Failure.Kind.NO_LEADER : Failure.Kind.NO_ANSWER;
        return new Failure(kind, null, message);
    }

    private static String unknownIf(boolean maybeApplied) {
        return maybeApplied ? "; the write may or may not have been applied" : "";
    }

    /** Sleeps the n-th backoff, never past the deadline; Ctrl-C ends the sleep (the loop then stops). */
    private static void pause(int n, long deadline) {
        long ms = BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)];
        long nanos = Math.min(TimeUnit.MILLISECONDS.toNanos(ms), deadline - System.nanoTime());
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The latest problem of each node, for the failure message: "Node1, Node2: no reply within 500 ms; Node3: ...". */
    private static final class Problems {
        private final Map<String, String> byNode = new LinkedHashMap<>();
        private boolean anyAnswer;

        void put(NodeAddress node, String problem, boolean answered) {
            byNode.put(node.name(), problem); // keeps the node's first place: cluster order, mostly
            anyAnswer |= answered;
        }

        boolean anyAnswer() {
            return anyAnswer;
        }

        @Override
        public String toString() {
            if (byNode.isEmpty()) {
                return "no request could be sent";
            }
            Map<String, List<String>> byProblem = new LinkedHashMap<>();
            byNode.forEach((node, problem) -> byProblem.computeIfAbsent(problem, k -> new ArrayList<>()).add(node));
            List<String> parts = new ArrayList<>();
            byProblem.forEach((problem, names) -> parts.add(String.join(", ", names) + ": " + problem));
            return String.join("; ", parts);
        }
    }
}

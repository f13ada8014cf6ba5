package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.common.wire.TransferReply;
import dev.raftledger.raftctl.Durations;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Polling;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.LeaderQuery;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.Majority;
import dev.raftledger.raftctl.client.Replies;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl transfer-leader [--to NODE]}: asks the leader to hand leadership over (the
 * controller's TRANSFER_LEADER), then watches LEADER_INFO until a majority names the new
 * leader in a newer term. The request is sent once.
 */
@Command(name = "transfer-leader",
        description = {"Hand leadership to --to NODE, or to the most up-to-date follower, without",
                "waiting for an election timeout: the leader stops taking writes, brings the",
                "follower level and tells it to start its election now. Waits until a majority",
                "names the new leader. Exit status 1 if the leader refuses, or if no majority",
                "names the new leader (or, with --to, that one) within --timeout."})
public final class TransferLeaderCommand implements Callable<Integer> {

    /** What came of the transfer, for the text and --json outputs. */
    record Outcome(String from, Long termBefore, String requested, String chosen, String leader, Long term,
                   long tookMs, boolean transferred, String error) {}

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", paramLabel = "NODE", description = "The follower to hand leadership to. Default: "
            + "the leader picks its most up-to-date follower in reach.")
    String to;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long to wait for the new leader: 500ms, 5s, 1m. Default: ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() {
        Session session = root.session();
        Duration limit = Durations.parse(timeout);
        if (limit == null) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be a duration from 1ms to 24h such as 500ms, 5s or 1m, not '" + timeout + "'");
        }
        if (to != null) {
            session.node(to, spec.commandLine()); // an unknown name is a usage error: nothing sent
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Outcome outcome = transfer(session, start, deadline);
        print(session, outcome);
        return outcome.transferred() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private Outcome transfer(Session session, long start, long deadline) {
        LeaderView view = LeaderQuery.ask(session, session.queries());
        if (view.leader() == null) {
            return failed(null, null, start, "no leader to transfer from: " + view.summary());
        }
        NodeAddress leader = session.cluster().node(view.leader()).orElseThrow();
        Answer answer = session.mutations().ask(leader, request());
        if (answer.answered() && ControllerRequest.LEADER_INFO.name().equals(answer.reply().request())) {
            // leadership moved since we asked: the node names the new leader, which gets the request
            String named = answer.reply().valueText();
            if (named == null || session.cluster().node(named).isEmpty() || named.equals(leader.name())) {
                return failed(leader.name(), view.term(), start, leader.name() + " is no longer leader and names "
                        + (named == null ? "none" : named));
            }
            leader = session.cluster().node(named).orElseThrow();
            answer = session.mutations().ask(leader, request());
        }
        String problem = Replies.problem(answer, ControllerRequest.TRANSFER_LEADER);
        if (problem != null) {
            return failed(leader.name(), view.term(), start, leader.name() + " " + problem);
        }
        ControllerMessage reply = answer.reply();
        String chosen = TransferReply.fromJson(reply.value()).to();
        Long termBefore = reply.term();
        if (ReplyKey.UNCHANGED.of(reply)) {
            return new Outcome(leader.name(), termBefore, to, leader.name(), leader.name(), termBefore,
                    elapsedMs(start), true, null);
        }
        return awaitNewLeader(session, leader.name(), termBefore, chosen, start, deadline);
    }

    /** Polls LEADER_INFO until a majority names a leader in a term after {@code termBefore}. */
    private Outcome awaitNewLeader(Session session, String from, Long termBefore, String chosen, long start,
                                   long deadline) {
        LeaderView last;
        while (true) {
            long round = System.nanoTime();
            long replyNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(session.timeout().toNanos(), deadline - round));
            last = LeaderQuery.ask(session, session.pollQueries(Duration.ofNanos(replyNanos)));
            Majority m = Majority.of(last.claims());
            boolean newer = m.agreed() && m.term() != null && (termBefore == null || m.term() > termBefore);
            if (newer) {
                boolean asked = to == null || to.equals(m.leader());
                return new Outcome(from, termBefore, to, chosen, m.leader(), m.term(), elapsedMs(start), asked,
                        asked ? null : m.leader() + " took over, not " + to);
            }
            if (System.nanoTime() - deadline >= 0 || !Polling.sleepUntil(Math.min(round + TimeUnit.MILLISECONDS.toNanos(
                    Polling.POLL_MS / 5), deadline))) {
                return failed(from, termBefore, start, "no majority named a new leader within " + timeout
                        + " (" + last.summary() + "); " + from + " keeps leading if " + chosen + " did not take over");
            }
        }
    }

    private ControllerMessage request() {
        ObjectNode value = null;
        if (to != null) {
            value = Codec.objectNode();
            value.put("to", to);
        }
        return new ControllerMessage(ControllerMessage.CONTROLLER, ControllerRequest.TRANSFER_LEADER.name(), null,
                null, value);
    }

    private Outcome failed(String from, Long termBefore, long start, String error) {
        return new Outcome(from, termBefore, to, null, null, null, elapsedMs(start), false, error);
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private void print(Session session, Outcome o) {
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("from", o.from());
            doc.put("term_before", o.termBefore());
            doc.put("requested", o.requested());
            doc.put("chosen", o.chosen());
            doc.put("leader", o.leader());
            doc.put("term", o.term());
            doc.put("took_ms", o.tookMs());
            doc.put("transferred", o.transferred());
            doc.put("error", o.error());
            JsonOutput.print(session.out(), doc);
        } else if (o.transferred() && o.from() != null && o.from().equals(o.leader())) {
            session.out().println(o.leader() + " already leads (term " + o.term() + "): nothing to do");
            session.out().flush();
        } else if (o.transferred()) {
            session.out().println("leadership moved from " + o.from() + " (term " + o.termBefore() + ") to "
                    + o.leader() + " (term " + o.term() + ") in " + o.tookMs() + " ms");
            session.out().flush();
        } else {
            session.error("transfer-leader: " + o.error());
        }
    }
}

package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.Durations;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Polling;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.LeaderQuery;
import dev.raftledger.raftctl.client.LeaderView;
import dev.raftledger.raftctl.client.Majority;
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
 * {@code raftctl wait-leader}: polls LEADER_INFO until a majority of all members name one leader
 * in one term, or the timeout passes. For scripts that start a cluster and must wait for it.
 */
@Command(name = "wait-leader",
        description = {"Wait until a majority of all members name one leader in one term.",
                "Asks every node LEADER_INFO every " + Polling.POLL_MS + " ms. Exit status 1 if",
                "there is none within --timeout."})
public final class WaitLeaderCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait: 500ms, 10s, 2m, 1h. Default: ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() {
        Duration limit = Durations.parse(timeout);
        if (limit == null) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be a duration from 1ms to 24h such as 500ms, 10s or 2m, not '" + timeout + "'");
        }
        Session session = root.session();
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Majority majority;
        LeaderView last;
        while (true) {
            long round = System.nanoTime();
            // never wait for replies past the deadline
            long replyNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(session.timeout().toNanos(), deadline - round));
            last = LeaderQuery.ask(session, session.pollQueries(Duration.ofNanos(replyNanos)));
            majority = Majority.of(last.claims());
            if (majority.agreed() || System.nanoTime() - deadline >= 0 || !Polling.sleepUntil(
                    Math.min(round + TimeUnit.MILLISECONDS.toNanos(Polling.POLL_MS), deadline))) {
                break;
            }
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("leader", majority.leader());
            doc.put("term", majority.term());
            doc.put("waited_ms", waitedMs);
            doc.put("agreeing", majority.agreeing());
            doc.put("total", majority.total());
            JsonOutput.print(session.out(), doc);
        } else if (majority.agreed()) {
            session.out().println("leader " + majority.leader() + " (term "
                    + Texts.orUnknown(majority.term()) + ") after " + waitedMs + " ms");
            session.out().flush();
        } else {
            session.error("no leader within " + timeout + " (" + last.summary() + ")");
        }
        return majority.agreed() ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}

package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.HealthLimits;
import dev.raftledger.raftctl.client.Majority;
import dev.raftledger.raftctl.client.NodeStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl health}: for probes and CI. The cluster is healthy when a majority of all
 * members name one leader in one term and every member is with that leader; degraded when there
 * is such a leader but some member is down, cut off or far behind (exit status 0, or 1 with
 * {@code --strict}); unhealthy without one ({@link ClusterHealth}). With {@code --node}, whether
 * that one node answers at all.
 */
@Command(name = "health",
        description = {"Check the cluster: healthy when a majority of all members name one",
                "leader in one term and every member is with it; degraded when there is",
                "such a leader but a member is down, cut off (up, but not hearing the",
                "leader or not heard by it) or far behind it; unhealthy without one. Asks",
                "every node STATUS at once. With --node, only whether that node answers.",
                "Exit status 0 healthy or degraded (1 degraded with --strict), 1 unhealthy;",
                "with --node 0 alive, 1 not."})
public final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "NODE", description = "Check only whether this node answers STATUS.")
    String node;

    @Option(names = "--strict", description = "Exit status 1 when the cluster is degraded, not only when unhealthy.")
    boolean strict;

    @Mixin
    HealthLimits limits;

    @Override
    public Integer call() {
        if (node != null && (strict || limits.given())) {
            throw new ParameterException(spec.commandLine(),
                    "--strict, --max-lag and --max-silence judge the whole cluster; --node only asks whether a node answers");
        }
        ClusterHealth.Limits bounds = limits.limits(spec); // before anything is sent
        Session session = root.session();
        if (node != null) {
            NodeAddress target = session.node(node, spec.commandLine()); // before anything is sent
            return liveness(session, target);
        }
        ClusterHealth health = ClusterHealth.judge(ClusterStatus.fetch(session), bounds);
        Majority m = health.majority();
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("healthy", health.healthy());
            doc.put("leader", m.leader());
            doc.put("term", m.term());
            doc.put("answering", health.answering());
            doc.put("agreeing", m.agreeing());
            doc.put("total", m.total());
            doc.put("quorum", m.quorum());
            ArrayNode problems = doc.putArray("problems");
            health.problems().forEach(problems::add);
            doc.put("verdict", health.verdict().wireName());
            doc.set("degraded", ClusterJson.degraded(health));
            doc.put("strict", strict);
            doc.put("max_lag", bounds.maxLag());
            doc.put("max_silence_ms", bounds.maxSilenceMs());
            JsonOutput.print(session.out(), doc);
        } else if (health.healthy()) {
            String others = m.agreeing() < health.answering() ? ", " + m.agreeing() + " agreeing" : "";
            session.out().println(health.verdict().wireName() + ": leader " + m.leader() + " (term "
                    + Texts.orUnknown(m.term()) + "), " + health.answering() + " of " + m.total()
                    + " nodes answering" + others);
            for (ClusterHealth.Member d : health.degraded()) {
                session.out().println("  " + d.text());
            }
            session.out().flush();
        } else {
            session.out().println("unhealthy: no leader agreed by a majority (" + health.answering() + " of "
                    + m.total() + " answering)");
            session.out().flush();
            health.problems().forEach(session::error);
        }
        return health.exitCode(strict);
    }

    /** --node: exit status 0 if the node answers (an ERROR reply too: it is up), 1 if not. */
    private static int liveness(Session session, NodeAddress target) {
        NodeStatus s = NodeStatus.of(target,
                session.queries().ask(target, ControllerMessage.request(ControllerRequest.STATUS.name())));
        boolean alive = s.reachable();
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("node", s.name());
            doc.put("alive", alive);
            doc.put("state", s.state());
            doc.put("term", s.term());
            doc.put("error", s.error());
            JsonOutput.print(session.out(), doc);
        } else {
            String detail;
            if (!alive) {
                detail = "not answering (" + s.error() + ")";
            } else if (s.error() != null) {
                detail = "alive (" + s.error() + ")";
            } else {
                detail = "alive (" + (s.state() == null ? "state unknown" : s.state()) + ", term "
                        + Texts.orUnknown(s.term()) + ")";
            }
            session.out().println(s.name() + ": " + detail);
            session.out().flush();
        }
        return alive ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}

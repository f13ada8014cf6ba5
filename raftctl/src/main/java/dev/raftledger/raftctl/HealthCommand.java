package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl health}: for probes and CI. The cluster is healthy when a majority of all
 * members name one leader in one term (which also means a quorum answers); with {@code --node},
 * whether that one node answers at all.
 */
@Command(name = "health", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Check the cluster: healthy when a majority of all members name one",
                "leader in one term. Asks every node STATUS at once. With --node, only",
                "whether that node answers. Exit status 0 healthy (alive), 1 not."})
final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "NODE", description = "Check only whether this node answers STATUS.")
    String node;

    /** The outcome of a cluster check; {@code problems} says what is wrong or missing, node by node. */
    record Health(boolean healthy, Majority majority, int answering, List<String> problems) {}

    @Override
    public Integer call() {
        Session session = root.session();
        if (node != null) {
            NodeAddress target = session.node(node, spec.commandLine()); // before anything is sent
            return liveness(session, target);
        }
        Health health = check(ClusterStatus.fetch(session));
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
            JsonOutput.print(session.out(), doc);
        } else if (health.healthy()) {
            String others = m.agreeing() < health.answering() ? ", " + m.agreeing() + " agreeing" : "";
            session.out().println("healthy: leader " + m.leader() + " (term " + (m.term() == null ? "?" : m.term())
                    + "), " + health.answering() + " of " + m.total() + " nodes answering" + others);
            session.out().flush();
        } else {
            session.out().println("unhealthy: no leader agreed by a majority (" + health.answering() + " of "
                    + m.total() + " answering)");
            session.out().flush();
            health.problems().forEach(session::error);
        }
        return health.healthy() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /** Judges one STATUS round. A node in state leader that names nobody counts as naming itself. */
    static Health check(ClusterStatus status) {
        List<LeaderView.Claim> claims = new ArrayList<>();
        for (NodeStatus n : status.nodes()) {
            LeaderView.Claim c = n.claim();
            if (c.usable() && c.leader() == null && "leader".equals(n.state())) {
                c = new LeaderView.Claim(c.node(), true, c.node(), c.term(), null);
            }
            claims.add(c);
        }
        Majority m = Majority.of(claims);
        int answering = (int) claims.stream().filter(LeaderView.Claim::usable).count();
        List<String> problems = new ArrayList<>();
        if (!m.agreed()) {
            problems.add("no leader named by a majority (" + m.quorum() + " of " + m.total() + ") in one term");
        }
        for (LeaderView.Claim c : claims) {
            if (!c.usable()) {
                problems.add(c.node() + ": " + c.error());
            } else if (c.leader() == null) {
                problems.add(c.node() + ": knows no leader (term " + c.term() + ")");
            } else if (!m.agrees(c)) {
                problems.add(c.node() + ": names " + c.leader() + " (term " + c.term() + ")");
            }
        }
        // a majority naming the leader in one term implies that a quorum answered
        return new Health(m.agreed() && answering >= m.quorum(), m, answering, List.copyOf(problems));
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
                        + (s.term() == null ? "?" : s.term()) + ")";
            }
            session.out().println(s.name() + ": " + detail);
            session.out().flush();
        }
        return alive ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}

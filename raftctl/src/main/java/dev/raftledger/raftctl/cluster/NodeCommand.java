package dev.raftledger.raftctl.cluster;

import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.NodeOutcome;
import dev.raftledger.raftctl.client.Replies;
import java.util.concurrent.Callable;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A request to one node that changes it (TIMEOUT, CONVERT_FOLLOWER, SHUTDOWN). It is sent once:
 * repeating a TIMEOUT whose reply was lost would start a second election.
 */
public abstract class NodeCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node's name in the cluster, e.g. Node2.")
    String node;

    /** The request this command sends. */
    abstract ControllerRequest request();

    /** What the node did, for the text output: "Node2 " + done() + ": state ..., term ...". */
    abstract String done();

    @Override
    public Integer call() {
        Session session = root.session();
        NodeAddress target = session.cluster().node(node).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "unknown node '" + node + "'; known: " + String.join(", ", session.cluster().names())));
        // "ack": a node answers these three only when asked to (the convention's controllers read no reply)
        Answer answer = session.mutations().ask(target, ControllerMessage.request(request().name()).withAck());
        NodeOutcome outcome = outcome(target, answer);
        if (session.json()) {
            JsonOutput.print(session.out(), ClusterJson.action(outcome));
        } else if (outcome.ok()) {
            session.out().println(outcome.node() + " " + done() + ": state " + outcome.state() + ", term " + outcome.term());
            session.out().flush();
        } else {
            String where = target.name() + " at " + target.host() + ":" + target.ports().controller();
            session.error(answer.answered()
                    ? where + " " + outcome.error()
                    : where + " did not answer " + request().name() + ": " + outcome.error());
        }
        return outcome.ok() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private NodeOutcome outcome(NodeAddress target, Answer answer) {
        String problem = Replies.problem(answer, request());
        if (problem == null && (answer.reply().valueText() == null || answer.reply().term() == null)) {
            problem = "answered " + request().name() + " without its state or term";
        }
        if (problem != null) {
            Long term = answer.answered() ? answer.reply().term() : null;
            return new NodeOutcome(target.name(), target.host(), request().name(), false, null, term, problem);
        }
        return new NodeOutcome(target.name(), target.host(), request().name(), true,
                answer.reply().valueText(), answer.reply().term(), null);
    }
}

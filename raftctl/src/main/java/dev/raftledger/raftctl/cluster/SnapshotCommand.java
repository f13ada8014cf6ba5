package dev.raftledger.raftctl.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.SnapshotReply;
import dev.raftledger.raftctl.Durations;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.Replies;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl snapshot NODE}: the node snapshots its state now and deletes the log behind
 * it (the controller's SNAPSHOT); the reply comes once the snapshot is durable.
 */
@Command(name = "snapshot",
        description = {"Make NODE snapshot its state now and compact its log behind it.",
                "Answers once the snapshot is durable, with its index, term and size. Exit",
                "status 1 if NODE does not answer in time or could not save it."})
public final class SnapshotCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node's name in the cluster, e.g. Node2.")
    String node;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for the snapshot to be saved: 10s, 2m. Default: ${DEFAULT-VALUE}")
    String wait;

    @Override
    public Integer call() {
        Session session = root.session();
        NodeAddress target = session.node(node, spec.commandLine());
        Duration limit = Durations.parse(wait);
        if (limit == null) {
            throw new ParameterException(spec.commandLine(),
                    "--wait must be a duration from 1ms to 24h such as 10s or 2m, not '" + wait + "'");
        }
        // sent once: the node answers when the snapshot is durable, which may take a while
        Answer answer = session.once(limit).ask(target,
                ControllerMessage.request(ControllerRequest.SNAPSHOT.name()));
        String problem = Replies.problem(answer, ControllerRequest.SNAPSHOT);
        SnapshotReply v = problem == null ? SnapshotReply.fromJson(answer.reply().value()) : null;
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("node", target.name());
            doc.put("ok", problem == null);
            doc.put("index", v == null ? null : v.index());
            doc.put("term", v == null ? null : v.term());
            doc.put("size", v == null ? null : v.size());
            doc.put("log_first_index", v == null ? null : v.logFirstIndex());
            doc.put("error", problem);
            JsonOutput.print(session.out(), doc);
        } else if (problem == null) {
            session.out().println(target.name() + " saved a snapshot through index " + v.index()
                    + " (term " + v.term() + ", " + v.size() + " bytes); its log now starts at " + v.logFirstIndex());
            session.out().flush();
        } else {
            session.error(target.name() + " at " + target.host() + ":" + target.ports().controller() + " " + problem);
        }
        return problem == null ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}

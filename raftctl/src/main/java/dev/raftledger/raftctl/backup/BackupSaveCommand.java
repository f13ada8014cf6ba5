package dev.raftledger.raftctl.backup;

import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.raftctl.Durations;
import dev.raftledger.raftctl.ProgressDisplay;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.BackupClient;
import dev.raftledger.raftctl.client.LeaderQuery;
import dev.raftledger.raftctl.client.LeaderView;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code raftctl backup save FILE}: the leader (or {@code --node}) saves a snapshot and sends
 * its file; it is written to {@code FILE.part}, fsynced, checked whole and renamed to FILE.
 */
@Command(name = "save",
        description = {"Save a backup of the replicated state to FILE: the leader (or --node)",
                "snapshots its applied state and sends it in datagram-sized chunks; the copy",
                "is written to FILE.part, fsynced, checked (checksums and a full decode) and",
                "only then renamed to FILE. Shows progress on a terminal. Exit status 1 if",
                "there is no leader, the node refuses or stops answering, or the copy does",
                "not check out (FILE is then not written); 2 if FILE exists."})
final class BackupSaveCommand implements Callable<Integer> {

    @ParentCommand
    BackupCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the backup; must not exist.")
    Path file;

    @Option(names = "--node", paramLabel = "NODE", description = "Back up this node's applied state. Default: the leader.")
    String node;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long the node may take to save its snapshot, or be silent during the transfer: "
                    + "10s, 2m. Default: ${DEFAULT-VALUE}")
    String wait;

    @Override
    public Integer call() {
        Session session = parent.root.session();
        Duration limit = Durations.parse(wait);
        if (limit == null) {
            throw new ParameterException(spec.commandLine(),
                    "--wait must be a duration from 1ms to 24h such as 10s or 2m, not '" + wait + "'");
        }
        if (Files.exists(file) || Files.isSymbolicLink(file)) {
            throw new ParameterException(spec.commandLine(), file + " exists; give a new file name (nothing was sent)");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "no such directory: " + dir + " (nothing was sent)");
        }
        NodeAddress target;
        if (node != null) {
            target = session.node(node, spec.commandLine());
        } else {
            LeaderView view = LeaderQuery.ask(session, session.queries());
            if (view.leader() == null) {
                BackupOutput.failed(session, null, file, "no leader (" + view.summary() + "); back up a node with --node");
                return ExitCode.SOFTWARE;
            }
            target = session.cluster().node(view.leader()).orElse(null);
            if (target == null) {
                BackupOutput.failed(session, view.leader(), file, "the leader " + view.leader()
                        + " is not in this raftctl's cluster list; give --cluster or --node");
                return ExitCode.SOFTWARE;
            }
        }
        ProgressDisplay progress = ProgressDisplay.forSession(session, "backup");
        try {
            BackupClient.Saved saved = new BackupClient(session.auth(), session.once(limit), session.timeout())
                    .save(target, file, limit, progress == null ? null : progress::update);
            if (progress != null) {
                progress.finish();
            }
            BackupOutput.saved(session, saved);
            return ExitCode.OK;
        } catch (BackupClient.Failure f) {
            if (progress != null) {
                progress.finish();
            }
            BackupOutput.failed(session, target.name(), file, f.getMessage());
            return ExitCode.SOFTWARE;
        }
    }
}

package dev.raftledger.raftd;

import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.restore.Progress;
import dev.raftledger.raftd.restore.Recovery;
import dev.raftledger.raftd.restore.Restore;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftd recover}: brings a cluster that lost a majority for good back from its most
 * up-to-date survivor, as etcd's {@code --force-new-cluster}: a backup of everything the
 * survivor's log holds ({@link Recovery}), the survivor's data dir moved aside, and the
 * survivor restored from that backup for the new members ({@link Restore}). The other members
 * are then restored from the same backup file with the same {@code --cluster}.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Disaster recovery, when a majority of the members is lost for good: run",
                "it on the stopped survivor that is most up to date (raftctl member",
                "survivors). Writes --backup-out from everything its log holds (every entry,",
                "committed or not), moves its data dir aside to DIR.before-recover-<time>",
                "and restores the data dir from that backup for the new --cluster, with a",
                "new cluster id. Restore every other member from --backup-out with the same",
                "--cluster (raftd restore), then start them all (docs/install.md)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:recovered; the backup is written", "1:the data dir cannot be read (in use by a running "
                + "node, damaged) or writing failed", "2:invalid command line: unknown --name, a data dir that holds "
                + "no node's data, or a --backup-out that exists (nothing changed)"})
final class RecoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backup-out", required = true, paramLabel = "FILE",
            description = "Where to write the backup the other members are restored from; must not exist.")
    Path backupOut;

    @Mixin
    NewClusterOptions options;

    @Override
    public Integer call() {
        ClusterConfig members = options.members(spec);
        Path dir = options.dataDir();
        try {
            if (ClusterId.isFresh(dir)) {
                throw new ParameterException(spec.commandLine(), "--data-dir: " + dir + " holds no node's data");
            }
        } catch (StoreException e) {
            throw new ParameterException(spec.commandLine(), "--data-dir: " + e.getMessage());
        }
        if (Files.exists(backupOut)) {
            throw new ParameterException(spec.commandLine(), "--backup-out: " + backupOut + " exists (nothing changed)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Recovery.Exported x = Recovery.export(dir, options.name, backupOut);
            BackupFile.Contents contents = BackupFile.read(backupOut);
            String id = options.clusterId != null ? options.clusterId : Restore.clusterIdFor(contents.header(), members);
            Path aside = dir.resolveSibling(dir.getFileName() + ".before-recover-" + System.currentTimeMillis());
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            Progress progress = Progress.forStderr(err);
            progress.start("recover: writing " + dir, contents.header().payloadSize());
            Restore.Result r = Restore.restore(backupOut, contents.header(), dir, options.name, members, id,
                    progress::update);
            progress.finish();
            out.println("recovered " + options.name + " from its data dir, now at " + aside + ": index " + x.index()
                    + " (term " + x.term() + "; snapshot through " + x.snapshotIndex() + " and " + x.logEntries()
                    + " log entries, all kept), " + contents.expenses() + " expenses");
            out.println("wrote " + backupOut + " and restored " + r.dataDir() + " for the members "
                    + String.join(", ", members.names()) + ", cluster id " + r.clusterId());
            out.println("next: raftd restore --from " + backupOut + " --cluster " + options.cluster
                    + " --name NAME --data-dir DIR for every other member; then start them all");
            out.flush();
            return 0;
        } catch (StoreException | IOException | BackupFile.DamagedException e) {
            err.println("raftd recover: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

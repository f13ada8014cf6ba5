package dev.raftledger.raftd;

import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.restore.Progress;
import dev.raftledger.raftd.restore.Restore;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftd restore}: prepares one member's new data dir from a backup ({@link Restore}),
 * as {@code etcdutl snapshot restore} does. Run it once per member, with the same backup and
 * the same {@code --cluster}, then start the members.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Prepares one member's data dir from a backup (raftctl backup save) for a",
                "new cluster of the members given: the backup's state as its snapshot, the",
                "new members as its configuration and a new cluster id, which the old",
                "cluster's nodes do not share, so the two never take each other's messages.",
                "Run it for every member with the same backup and --cluster, then start them",
                "(docs/install.md)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the data dir is ready", "1:the backup is damaged, truncated or not a backup, or writing "
                + "failed (nothing is left behind)", "2:invalid command line: unknown --name, no such backup file, "
                + "or a data dir that is not empty (nothing changed)"})
final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file.")
    Path from;

    @Mixin
    NewClusterOptions options;

    @Override
    public Integer call() {
        ClusterConfig members = options.members(spec);
        Path dir = options.dataDir();
        if (!Files.isRegularFile(from) || !Files.isReadable(from)) {
            throw new ParameterException(spec.commandLine(), "--from: no such file (or not readable): " + from);
        }
        try {
            if (!ClusterId.isFresh(dir)) {
                throw new ParameterException(spec.commandLine(), "--data-dir: " + dir + " is not empty; restore "
                        + "writes only into a new or empty directory (nothing changed)");
            }
        } catch (StoreException e) {
            throw new ParameterException(spec.commandLine(), "--data-dir: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BackupFile.Contents contents;
        Progress progress = Progress.forStderr(err);
        try {
            progress.start("restore: checking the backup", BackupFile.header(from).payloadSize());
            contents = BackupFile.read(from, progress::update);
            progress.finish();
        } catch (BackupFile.DamagedException e) {
            progress.finish();
            err.println("raftd restore: " + from + ": " + e.getMessage() + " (nothing changed)");
            err.flush();
            return 1;
        } catch (IOException e) {
            progress.finish();
            err.println("raftd restore: cannot read " + from + ": " + e.getMessage() + " (nothing changed)");
            err.flush();
            return 1;
        }
        String id = options.clusterId != null ? options.clusterId : Restore.clusterIdFor(contents.header(), members);
        try {
            progress.start("restore: writing " + dir, contents.header().payloadSize());
            Restore.Result r = Restore.restore(from, contents.header(), dir, options.name, members, id, progress::update);
            progress.finish();
            out.println("restored " + options.name + "'s data dir " + r.dataDir() + " from " + from + ": index "
                    + r.index() + " (term " + r.term() + "), " + contents.expenses() + " expenses, cluster id "
                    + r.clusterId() + " (was " + (contents.header().description().clusterId() == null ? "none"
                    : contents.header().description().clusterId()) + "), members " + String.join(", ", members.names()));
            out.println("start it with: " + options.startLine());
            out.flush();
            return 0;
        } catch (StoreException e) {
            progress.finish();
            err.println("raftd restore: " + e.getMessage() + " (nothing is left behind)");
            err.flush();
            return 1;
        }
    }
}

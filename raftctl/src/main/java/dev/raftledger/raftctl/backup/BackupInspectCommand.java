package dev.raftledger.raftctl.backup;

import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.raftctl.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl backup inspect FILE}: what a backup holds, and whether it is intact. Reads the file only. */
@Command(name = "inspect", aliases = "status",
        description = {"Check a backup file whole (checksums and a full decode of its state) and",
                "show what it holds: index, term, members, source cluster id, expenses,",
                "sessions, STOREs, size and checksum. Talks to no node. Exit status 0 if it",
                "is intact, 1 if it is damaged, truncated or not a backup, 2 if it cannot be",
                "read (no such file)."})
final class BackupInspectCommand implements Callable<Integer> {

    @ParentCommand
    BackupCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Override
    public Integer call() {
        Session session = parent.root.session();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "no such file (or not readable): " + file);
        }
        try {
            BackupOutput.inspected(session, file, BackupFile.read(file));
            return ExitCode.OK;
        } catch (BackupFile.DamagedException e) {
            BackupOutput.damaged(session, file, e.getMessage());
            return ExitCode.SOFTWARE;
        } catch (IOException e) {
            BackupOutput.damaged(session, file, "cannot read it: " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
    }
}

package dev.raftledger.raftctl.keys;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.auth.Role;
import dev.raftledger.raftctl.JsonOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code raftctl credential new NAME --role ROLE --out FILE}: a new operator credential. FILE
 * (created mode 600, never overwritten) gets {@code NAME SECRET}, what {@code --credential-file}
 * reads; stdout gets the line for every node's operators file, {@code NAME ROLE SECRET}, so that
 * it can be appended there as it is; stderr says what to do next. Talks to no node.
 */
@Command(name = "new",
        description = {"Make an operator's credential.",
                "Writes FILE (mode 600; an existing FILE is never overwritten) with",
                "'NAME SECRET' for --credential-file, and prints the line 'NAME ROLE SECRET'",
                "to add to every node's operators file (then reload the nodes: SIGHUP).",
                "Talks to no node. Exit status 2 if FILE exists or NAME or ROLE is not",
                "valid, 1 if FILE cannot be written."})
final class CredentialNewCommand implements Callable<Integer> {

    /** The roles, for Tab in the shell and the bash completion. */
    static final class Roles extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Roles() {
            super(java.util.Arrays.stream(Role.values()).map(Role::wireName).toList());
        }
    }

    @ParentCommand
    CredentialCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The operator's name: 1-64 letters, digits and . _ @ -.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", completionCandidates = Roles.class,
            description = "viewer (reads), clerk (viewer plus ledger writes) or admin (everything).")
    String role;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The credential file to write.")
    Path out;

    @Override
    public Integer call() {
        String bad = Secrets.badName(name);
        if (bad != null) {
            throw usage(bad);
        }
        Role r = Role.fromWire(role).orElseThrow(() -> usage("--role must be viewer, clerk or admin, not '" + role + "'"));
        if (Files.exists(out) || Files.isSymbolicLink(out)) {
            throw usage(out + " exists; give a new file name (nothing was written)");
        }
        String secret = Secrets.newSecret();
        PrintWriter err = spec.commandLine().getErr();
        try {
            create(out, name + " " + secret + "\n");
        } catch (FileAlreadyExistsException e) {
            throw usage(out + " exists; give a new file name (nothing was written)");
        } catch (IOException | UnsupportedOperationException e) {
            err.println("raftctl: cannot write " + out + ": " + e.getMessage());
            err.flush();
            return ExitCode.SOFTWARE;
        }
        try {
            Keyring.forOperator(out); // the file reads back as raftctl --credential-file will read it
        } catch (AuthException e) {
            deleteQuietly(out);
            err.println("raftctl: " + e.getMessage() + " (" + out + " removed)");
            err.flush();
            return ExitCode.SOFTWARE;
        }
        String line = name + " " + r.wireName() + " " + secret;
        String fingerprint = Key.fingerprintOf(secret);
        PrintWriter stdout = spec.commandLine().getOut();
        if (parent.root.json()) {
            JsonOutput.print(stdout, JsonOutput.object().put("name", name).put("role", r.wireName())
                    .put("file", out.toString()).put("key", fingerprint).put("operators_line", line));
        } else {
            stdout.println(line);
            stdout.flush();
        }
        err.println("wrote " + out + " (mode 600): " + name + "'s credential, key " + fingerprint + ". Add the line "
                + (parent.root.json() ? "operators_line" : "above") + " to every node's operators file, then reload "
                + "each node (kill -HUP PID, or systemctl reload raftd); check with raftctl --credential-file " + out
                + " whoami");
        err.flush();
        return ExitCode.OK;
    }

    /**
     * Creates {@code file} for its owner alone before anything is written to it (a secret never
     * sits in a file others can read, not even for a moment), and fails if it exists.
     */
    static void create(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(file); // no half-written credential left behind
            throw e;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // it is refused by the nodes as it is; the message above names it
        }
    }
}

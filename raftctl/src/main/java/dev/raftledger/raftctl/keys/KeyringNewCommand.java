package dev.raftledger.raftctl.keys;

import dev.raftledger.common.auth.Key;
import dev.raftledger.raftctl.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftctl keyring new}: a fresh node key secret on stdout (so it can go straight into a
 * file), its fingerprint on stderr. Talks to no node and reads no key file.
 */
@Command(name = "new",
        description = {"Print a new secret for the nodes' keys files.",
                "32 random bytes (SecureRandom) as 64 hex digits on stdout; its fingerprint",
                "(how STATUS and keyring status name it) on stderr. Talks to no node. Add",
                "it to every node's keys file, then reload them (docs/security.md,",
                "\"Rotating the cluster key\")."})
final class KeyringNewCommand implements Callable<Integer> {

    @ParentCommand
    KeyringCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String secret = Secrets.newSecret();
        String fingerprint = Key.fingerprintOf(secret);
        PrintWriter out = spec.commandLine().getOut();
        if (parent.root.json()) {
            JsonOutput.print(out, JsonOutput.object().put("secret", secret).put("fingerprint", fingerprint));
        } else {
            out.println(secret);
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("fingerprint " + fingerprint + ": add the secret to every node's keys file (not yet primary), "
                    + "reload every node, then check with raftctl keyring status");
            err.flush();
        }
        return ExitCode.OK;
    }
}

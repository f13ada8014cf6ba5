package dev.raftledger.raftctl.keys;

import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.ClusterStatus;
import dev.raftledger.raftctl.client.KeyringCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/**
 * {@code raftctl keyring status}: every node's keyring, from its STATUS, and whether they fit
 * together. Exit status 0 when consistent, {@link #INCONSISTENT} when not (a problem found
 * among the nodes that answered), 1 when a node did not answer (or did not report its keyring)
 * and nothing else is wrong.
 */
@Command(name = "status",
        description = {"Show every node's keyring and whether they fit together.",
                "Asks every node STATUS at once: its primary key, installed keys, operators,",
                "datagrams opened per key. Then what needs doing:",
                "a node sealing with a key another does not accept, keys installed on some",
                "nodes only, different primaries, operators files that differ, keys nobody",
                "uses (safe to remove). Exit status 0 if the keyrings are consistent, 3 if",
                "they are not, 1 if a node did not answer (and nothing else is wrong)."})
final class KeyringStatusCommand implements Callable<Integer> {

    /** The exit status for keyrings that do not fit together (docs/raftctl.md). */
    static final int INCONSISTENT = 3;

    @ParentCommand
    KeyringCommand parent;

    @Override
    public Integer call() {
        Session session = parent.root.session();
        ClusterStatus status = ClusterStatus.fetch(session);
        KeyringCheck check = KeyringCheck.of(status, session.credential().auth().enabled());
        if (session.json()) {
            JsonOutput.print(session.out(), KeysOutput.keyringJson(check));
        } else {
            KeysOutput.keyring(check, session.out());
        }
        if (!check.problems().isEmpty()) {
            return INCONSISTENT;
        }
        return check.consistent() ? ExitCode.OK : ExitCode.SOFTWARE;
    }
}

package dev.raftledger.raftctl.keys;

import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.WhoamiQuery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/**
 * {@code raftctl whoami}: who the nodes take this raftctl for, with the key and options it was
 * given: the identity and role a request of it would act as (docs/security.md).
 */
@Command(name = "whoami",
        description = {"Show the identity and role raftctl acts as.",
                "Asks every node WHOAMI at once; shows the first answer in the cluster's",
                "order, the key's fingerprint and where it came from (--credential-file,",
                "--cluster-key-file or their variables). Nodes that see you otherwise, or",
                "do not answer (down, or not accepting the key), are named. Exit status 1",
                "if no node answers."})
public final class WhoamiCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Override
    public Integer call() {
        Session session = root.session();
        WhoamiQuery q = WhoamiQuery.ask(session);
        if (session.json()) {
            JsonOutput.print(session.out(), KeysOutput.whoamiJson(q, session));
        }
        if (q.first() == null) {
            session.error(KeysOutput.whoamiFailure(q, session));
            return ExitCode.SOFTWARE;
        }
        if (!session.json()) {
            KeysOutput.whoami(q, session);
        }
        return ExitCode.OK;
    }
}

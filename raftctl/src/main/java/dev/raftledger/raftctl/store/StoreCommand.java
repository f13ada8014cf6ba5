package dev.raftledger.raftctl.store;

import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Texts;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code raftctl store KEY VALUE}: the convention's STORE, through the leader. */
@Command(name = "store",
        description = {"Store KEY=VALUE through the leader (the convention's STORE).",
                "Finds the leader with LEADER_INFO and follows redirects; answers once",
                "the entry commits. STORE carries no client id, so it is never resent",
                "once sent to a leader: a lost reply is reported as an unknown outcome.",
                "Exit status 1 if there is no leader or the outcome is unknown."})
public final class StoreCommand implements Callable<Integer> {

    @ParentCommand
    RaftctlCommand root;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
        Session session = root.session();
        try {
            LedgerClient.Stored stored = session.ledger().store(key, value);
            if (session.json()) {
                JsonOutput.print(session.out(), StoreJson.stored(stored));
            } else {
                session.out().println("stored " + key + "=" + value + " at index " + Texts.orUnknown(stored.index())
                        + ", term " + Texts.orUnknown(stored.term()) + " (leader " + stored.node() + ")");
                session.out().flush();
            }
            return ExitCode.OK;
        } catch (LeaderRouter.Failure f) {
            session.error(f.getMessage());
            return ExitCode.SOFTWARE;
        }
    }

}

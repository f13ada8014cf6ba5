package dev.raftledger.raftctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.RetrieveReply;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/** {@code raftctl retrieve}: the convention's RETRIEVE, from the leader. */
@Command(name = "retrieve",
        description = {"List the committed STOREs (the convention's RETRIEVE).",
                "Oldest first, as the leader reports them: if they do not all fit in",
                "one datagram, the newest that do ('raftctl log' pages through all).",
                "Exit status 1 if there is no leader."})
public final class RetrieveCommand implements Callable<Integer> {

    static final List<String> HEADINGS = List.of("TERM", "KEY", "VALUE");

    @ParentCommand
    RaftctlCommand root;

    @Override
    public Integer call() {
        Session session = root.session();
        LedgerClient.Retrieved retrieved;
        try {
            retrieved = session.ledger().retrieve();
        } catch (LeaderRouter.Failure f) {
            session.error(f.getMessage());
            return ExitCode.SOFTWARE;
        }
        if (session.json()) {
            JsonOutput.print(session.out(), StoreJson.retrieved(retrieved));
            return ExitCode.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (RetrieveReply.Stored e : retrieved.entries()) {
            rows.add(List.of(cell(e.term()), cell(e.key()), cell(e.value())));
        }
        Table.print(session.out(), HEADINGS, rows);
        session.out().println(rows.size() + " stored value" + (rows.size() == 1 ? "" : "s") + " (leader "
                + retrieved.node() + ")");
        session.out().flush();
        return ExitCode.OK;
    }

    /** Text as it is, anything else as JSON; "-" for nothing. */
    static String cell(JsonNode n) {
        if (n == null || n.isNull()) {
            return "-";
        }
        return n.isTextual() ? n.textValue() : Codec.toJson(n);
    }
}

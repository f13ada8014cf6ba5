package dev.raftledger.raftctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.RaftctlCommand;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.LedgerClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code raftctl log}: committed log entries, paged with LOG. */
@Command(name = "log",
        description = {"Show committed log entries, paged.",
                "Leader no-ops, STOREs and ledger commands as a table: INDEX TERM DATA.",
                "Asks the leader, or --node. Pages through them (a node answers at",
                "most a datagram's worth at a time).",
                "Exit status 1 if there is no leader or the node does not answer."})
public final class LogCommand implements Callable<Integer> {

    static final List<String> HEADINGS = List.of("INDEX", "TERM", "DATA");
    static final int MAX_LIMIT = 1_000_000;

    @ParentCommand
    RaftctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "N", defaultValue = "0", description = "The first index. Default: 0")
    long from;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries. Default: 100")
    int limit;

    @Option(names = "--node", paramLabel = "NODE", description = "Ask this node. Default: the leader.")
    String node;

    @Override
    public Integer call() {
        if (from < 0) {
            throw new ParameterException(spec.commandLine(), "--from must be at least 0, not " + from);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1-" + MAX_LIMIT + ", not " + limit);
        }
        Session session = root.session();
        NodeAddress target = node == null ? null : session.node(node, spec.commandLine());
        LedgerClient.LogListing log;
        try {
            log = session.ledger().log(from, limit, target);
        } catch (LeaderRouter.Failure f) {
            session.error("log: " + f.getMessage());
            return ExitCode.SOFTWARE;
        }
        if (session.json()) {
            JsonOutput.print(session.out(), StoreJson.log(log));
        } else {
            print(session.out(), log);
        }
        return ExitCode.OK;
    }

    static void print(PrintWriter out, LedgerClient.LogListing log) {
        List<List<String>> rows = new ArrayList<>();
        for (LedgerClient.LogEntry e : log.entries()) {
            rows.add(List.of(Long.toString(e.index()), Long.toString(e.term()), data(e.data())));
        }
        if (!rows.isEmpty()) {
            Table.print(out, HEADINGS, rows);
        }
        String applied = log.appliedIndex() == null ? "" : ", applied index " + log.appliedIndex();
        String first = log.firstIndex() == null || log.firstIndex() == 0 ? "" : ", first index " + log.firstIndex();
        if (rows.isEmpty()) {
            out.println("no entries from " + log.node() + applied + first);
        } else {
            List<LedgerClient.LogEntry> es = log.entries();
            out.println(es.size() + " entr" + (es.size() == 1 ? "y" : "ies") + " (" + es.get(0).index() + "-"
                    + es.get(es.size() - 1).index() + ") from " + log.node() + applied + first);
        }
        out.flush();
    }

    /** A leader's no-op ({}) as "no-op", anything else as compact JSON. */
    static String data(JsonNode data) {
        return data.isObject() && data.isEmpty() ? "no-op" : Codec.toJson(data);
    }
}

package dev.raftledger.raftctl.member;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.Survivors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParentCommand;

/** {@code raftctl member survivors}: which reachable member is the most up to date (disaster recovery). */
@Command(name = "survivors",
        description = {"After losing a majority for good: ask every member for its log position",
                "(STATUS) and name the reachable one whose log is the most up to date (highest",
                "last term, then last index): recover the cluster from it with raftd recover",
                "(docs/install.md). Entries the lost members alone held are gone. Exit status 1",
                "if no member answers."})
final class MemberSurvivorsCommand implements Callable<Integer> {

    @ParentCommand
    MemberCommand parent;

    @Override
    public Integer call() {
        Session session = parent.root.session();
        Survivors s = Survivors.ask(session, session.queries());
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            ArrayNode nodes = doc.putArray("members");
            for (Survivors.Member m : s.members()) {
                ObjectNode n = nodes.addObject();
                n.put("node", m.node());
                n.put("reachable", m.reachable());
                n.put("state", m.state());
                n.put("last_log_index", m.lastLogIndex());
                n.put("last_log_term", m.lastLogTerm());
                n.put("commit_index", m.commitIndex());
                n.put("error", m.error());
            }
            doc.put("most_up_to_date", s.best());
            ArrayNode tied = doc.putArray("tied");
            s.tied().forEach(tied::add);
            JsonOutput.print(session.out(), doc);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Survivors.Member m : s.members()) {
                rows.add(List.of(m.node(), m.reachable() ? m.state() : "unreachable", text(m.lastLogTerm()),
                        text(m.lastLogIndex()), text(m.commitIndex()), m.node().equals(s.best()) ? "<- most up to date" : ""));
            }
            Table.print(session.out(), List.of("NODE", "STATE", "LAST TERM", "LAST INDEX", "COMMIT", ""), rows);
            if (s.best() != null) {
                session.out().println("most up to date: " + s.best() + (s.tied().size() > 1
                        ? " (as up to date: " + String.join(", ", s.tied()) + "; any of them will do)" : ""));
            }
            session.out().flush();
            if (s.best() == null) {
                session.error("member survivors: no member answered");
            }
        }
        return s.best() == null ? ExitCode.SOFTWARE : ExitCode.OK;
    }

    private static String text(Long n) {
        return n == null ? "-" : Long.toString(n);
    }
}

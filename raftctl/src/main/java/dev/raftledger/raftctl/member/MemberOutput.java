package dev.raftledger.raftctl.member;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MembersReply;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.LeaderRouter;
import dev.raftledger.raftctl.client.MemberClient;
import dev.raftledger.raftctl.client.Versions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The text and --json documents of the member commands (schemas member-list.json, member-change.json). */
public final class MemberOutput {

    static final List<String> HEADINGS = List.of("NAME", "HOST", "ROLE", "MATCH", "LAG", "HEARD", "VERSION");

    private MemberOutput() {}

    /** @param versions each member's release, from its STATUS (null: it did not answer) */
    static void list(Session session, MemberClient.Listing l, java.util.Map<String, String> versions) {
        if (session.json()) {
            ObjectNode doc = Codec.objectNode();
            doc.put("node", l.node());
            doc.put("leader", l.leader());
            doc.put("config_index", l.configIndex());
            doc.put("committed", l.committed());
            doc.put("last_log_index", l.lastLogIndex());
            doc.put("voters", l.voters());
            doc.put("quorum", l.voters() / 2 + 1);
            ArrayNode members = MembersReply.membersToJson(l.members()); // as the wire has them
            for (int i = 0; i < members.size(); i++) {
                ((ObjectNode) members.get(i)).put("version", versions.get(l.members().get(i).name()));
            }
            doc.set("members", members);
            doc.set("versions", Versions.toJson(versions));
            if (l.stamps() == null) {
                doc.putNull("session_stamps");
            } else {
                ObjectNode st = doc.putObject("session_stamps");
                st.put("on", l.stamps().on());
                ArrayNode w = st.putArray("waiting_for");
                l.stamps().waitingFor().forEach(w::add);
            }
            JsonOutput.print(session.out(), doc);
            return;
        }
        PrintWriter out = session.out();
        List<List<String>> rows = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        for (MembersReply.Member m : l.members()) {
            rows.add(List.of(m.name(), dash(m.host()), dash(m.role()), dash(m.matchIndex()), dash(m.lag()),
                    m.heardMs() == null ? "-" : m.heardMs() + " ms", dash(versions.get(m.name()))));
            if (Boolean.TRUE.equals(m.ready())) {
                ready.add(m.name());
            }
        }
        Table.print(out, HEADINGS, rows);
        long learners = l.members().size() - l.voters();
        out.println("configuration of index " + l.configIndex() + (l.committed() ? " (committed)" : " (not yet committed)")
                + " from " + l.node() + (l.node().equals(l.leader()) ? " (leader)" : ", leader " + dash(l.leader()))
                + ": " + l.voters() + " voter" + (l.voters() == 1 ? "" : "s") + ", " + (l.voters() / 2 + 1) + " needed"
                + (learners == 0 ? "" : "; " + learners + " learner" + (learners == 1 ? "" : "s"))
                + (ready.isEmpty() ? "" : "; ready to promote: " + String.join(", ", ready)));
        String mixed = Versions.mixedLine(versions);
        if (mixed != null) {
            out.println(mixed);
        }
        String stamps = stamps(l.stamps());
        if (stamps != null) {
            out.println(stamps);
        }
        out.flush();
    }

    /** The leader's word on session stamps, for people; null without one (not the leader, or an older raftd). */
    static String stamps(MembersReply.Stamps s) {
        if (s == null) {
            return null;
        }
        if (s.on()) {
            return "session stamps: on (the leader stamps its clock into ledger writes, so sessions expire)";
        }
        if (s.waitingFor().isEmpty()) {
            return "session stamps: off (--session-ttl 0 on the leader: sessions never expire)";
        }
        return "session stamps: off until " + String.join(", ", s.waitingFor()) + (s.waitingFor().size() == 1 ? " says its"
                : " say their") + " release reads them (not heard in this term, or a release before 0.2.0); sessions "
                + "do not expire meanwhile";
    }

    static void changed(Session session, MemberClient.Changed c) {
        if (session.json()) {
            JsonOutput.print(session.out(), document(c.request(), c.name(), true, c.index(), c.term(), c.node(),
                    c.members(), null, null));
            return;
        }
        String at = " at index " + dash(c.index()) + ", term " + dash(c.term()) + " (leader " + c.node() + ")";
        String voters = "; voters now: " + String.join(", ", c.members().stream()
                .filter(m -> "voter".equals(m.role())).map(MembersReply.Member::name).toList());
        switch (c.request()) {
            case "MEMBER_ADD":
                session.out().println("added " + c.name() + " as a learner" + at + "; once it has caught up: "
                        + "raftctl member promote " + c.name());
                break;
            case "MEMBER_PROMOTE":
                session.out().println("promoted " + c.name() + " to voter" + at + voters);
                break;
            default:
                session.out().println("removed " + c.name() + at + voters);
        }
        session.out().flush();
    }

    /** A change that was not made (or whose outcome is unknown): the document, and the error line. */
    static void failed(Session session, String request, String name, LeaderRouter.Failure f) {
        if (session.json()) {
            JsonOutput.print(session.out(), document(request, name, false, null, null, null, null, f.code(),
                    f.getMessage()));
        }
        session.error(f.getMessage());
    }

    private static ObjectNode document(String request, String name, boolean ok, Long index, Long term, String node,
                                       List<MembersReply.Member> members, String error, String message) {
        ObjectNode doc = Codec.objectNode();
        doc.put("request", request);
        doc.put("name", name);
        doc.put("ok", ok);
        doc.put("index", index);
        doc.put("term", term);
        doc.put("node", node);
        if (members == null) {
            doc.putNull("members");
        } else {
            ArrayNode list = doc.putArray("members");
            for (MembersReply.Member m : members) {
                list.addObject().put("name", m.name()).put("host", m.host()).put("role", m.role());
            }
        }
        doc.put("error", error);
        doc.put("message", message);
        return doc;
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }
}

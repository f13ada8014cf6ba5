package dev.raftledger.raftctl.backup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.backup.ProgressLine;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.client.BackupClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/** The backup commands' output: text, or one {@code --json} document (docs/json-schemas/backup.json). */
final class BackupOutput {

    private BackupOutput() {}

    static void saved(Session session, BackupClient.Saved saved) {
        if (session.json()) {
            JsonOutput.print(session.out(), doc(saved.file(), saved.contents(), saved.millis(), null));
            return;
        }
        PrintWriter out = session.out();
        out.printf(Locale.ROOT, "%s: backup of %s saved and checked in %.1f s%n", saved.file(), saved.node(),
                saved.millis() / 1000.0);
        describe(out, saved.contents());
        out.flush();
    }

    static void inspected(Session session, Path file, BackupFile.Contents c) {
        if (session.json()) {
            JsonOutput.print(session.out(), doc(file, c, null, null));
            return;
        }
        PrintWriter out = session.out();
        out.println(file + ": intact backup of " + orUnknown(c.header().description().node()) + ", taken "
                + Instant.ofEpochMilli(c.header().description().createdMs()));
        describe(out, c);
        out.flush();
    }

    static void damaged(Session session, Path file, String why) {
        if (session.json()) {
            JsonOutput.print(session.out(), doc(file, null, null, why));
        }
        session.error("backup inspect: " + file + ": " + why);
    }

    static void failed(Session session, String node, Path file, String why) {
        if (session.json()) {
            ObjectNode d = doc(file, null, null, why);
            d.put("node", node);
            JsonOutput.print(session.out(), d);
        }
        session.error("backup save: " + why + "; " + file + " not written");
    }

    private static void describe(PrintWriter out, BackupFile.Contents c) {
        BackupFile.Header h = c.header();
        ClusterConfig members = h.members();
        out.println("  index       " + h.index() + " (term " + h.term() + ")");
        out.println("  members     " + (members == null ? "(none recorded)" : members.members().stream()
                .map(m -> m.name() + "=" + m.host() + (m.isVoter() ? "" : " (learner)"))
                .collect(Collectors.joining(", "))));
        out.println("  cluster id  " + orUnknown(h.description().clusterId()));
        out.println("  expenses    " + c.expenses() + " (digest " + c.expensesDigest().substring(0, 16) + ")");
        out.println("  sessions    " + c.sessions());
        out.println("  stores      " + c.stores());
        out.printf(Locale.ROOT, "  size        %d bytes (%s)%n", c.fileSize(), ProgressLine.bytes(c.fileSize()));
        out.printf(Locale.ROOT, "  checksum    crc32c %08x (of the state)%n", h.payloadCrc());
        out.println("  version     " + orUnknown(h.description().version()));
    }

    private static String orUnknown(String s) {
        return s == null ? "(unknown)" : s;
    }

    /** Every field always present (null when unknown), as every raftctl --json document. */
    static ObjectNode doc(Path file, BackupFile.Contents c, Long millis, String error) {
        ObjectNode d = Codec.objectNode();
        BackupFile.Header h = c == null ? null : c.header();
        d.put("file", file.toString());
        d.put("ok", error == null);
        d.put("node", h == null ? null : h.description().node());
        d.put("index", h == null ? null : h.index());
        d.put("term", h == null ? null : h.term());
        ClusterConfig members = h == null ? null : h.members();
        if (members == null) {
            d.putNull("members");
        } else {
            ArrayNode a = d.putArray("members");
            members.members().forEach(m -> a.addObject().put("name", m.name()).put("host", m.host())
                    .put("role", m.suffrage().wireName()));
        }
        d.put("cluster_id", h == null ? null : h.description().clusterId());
        d.put("created_ms", h == null ? null : h.description().createdMs());
        d.put("expenses", c == null ? null : c.expenses());
        d.put("sessions", c == null ? null : c.sessions());
        d.put("stores", c == null ? null : c.stores());
        d.put("size", c == null ? null : c.fileSize());
        d.put("crc", h == null ? null : h.payloadCrc());
        d.put("expenses_digest", c == null ? null : c.expensesDigest());
        d.put("millis", millis);
        d.put("error", error);
        return d;
    }
}

package dev.raftledger.raftctl.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.common.wire.WhoamiReply;
import dev.raftledger.raftctl.Credential;
import dev.raftledger.raftctl.JsonOutput;
import dev.raftledger.raftctl.Session;
import dev.raftledger.raftctl.Table;
import dev.raftledger.raftctl.client.KeyringCheck;
import dev.raftledger.raftctl.client.WhoamiQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The text and --json documents of whoami and keyring status (field rules: {@link JsonOutput}). */
final class KeysOutput {

    private KeysOutput() {}

    /**
     * "alice (clerk), key 3f2a9c0e11d2b7a4, as Node1 sees it; credential from ~/alice.cred
     * (RAFT_CREDENTIAL_FILE)", then a line for each node that sees the caller otherwise or gave
     * no answer.
     */
    static void whoami(WhoamiQuery q, Session session) {
        PrintWriter out = session.out();
        out.println(identity(q.first()) + "; " + session.credentialText());
        for (WhoamiQuery.View v : q.differing()) {
            out.println(v.node() + " sees you as " + seen(v.reply()) + ": the nodes' operators files differ, or one was "
                    + "not reloaded");
        }
        boolean keyed = session.credential().kind() != Credential.Kind.NONE;
        for (WhoamiQuery.View v : q.unanswered()) {
            out.println(v.node() + ": " + v.error() + (keyed && !v.reached() ? " (down, or it does not accept this key)" : ""));
        }
        out.flush();
    }

    private static String identity(WhoamiQuery.View v) {
        WhoamiReply r = v.reply();
        if (!Boolean.TRUE.equals(r.keyed())) {
            return "anyone, as admin: " + v.node() + " has no cluster key, so anyone who reaches its controller port "
                    + "acts as admin";
        }
        return seen(r) + ", key " + r.key() + ", as " + v.node() + " sees it";
    }

    /** "alice (clerk)", "node (admin, a node key)", "anyone (admin, no cluster key)". */
    private static String seen(WhoamiReply r) {
        if (!Boolean.TRUE.equals(r.keyed())) {
            return "anyone (" + r.role() + ", no cluster key)";
        }
        return r.name() + " (" + r.role() + (Boolean.TRUE.equals(r.node()) ? ", a node key" : "") + ")";
    }

    /** The error line when no node gave a usable answer, with what the key (or its lack) suggests. */
    static String whoamiFailure(WhoamiQuery q, Session session) {
        List<String> why = new ArrayList<>();
        q.views().forEach(v -> why.add(v.node() + ": " + v.error()));
        String hint = "";
        if (q.views().stream().noneMatch(WhoamiQuery.View::reached)) {
            hint = session.credential().kind() == Credential.Kind.NONE
                    ? " If the cluster has a key, give --credential-file FILE (or RAFT_CREDENTIAL_FILE)."
                    : " If the nodes are up, none accepts this key: is it in their operators file (or keys file), and "
                    + "were they reloaded? Key " + session.credential().fingerprint() + ", "
                    + session.credentialText() + ".";
        }
        return "no node answered WHOAMI (" + String.join("; ", why) + ")." + hint;
    }

    static ObjectNode whoamiJson(WhoamiQuery q, Session session) {
        ObjectNode doc = JsonOutput.object();
        WhoamiQuery.View first = q.first();
        WhoamiReply r = first == null ? null : first.reply();
        doc.put("node", first == null ? null : first.node());
        doc.put("keyed", r == null ? null : r.keyed());
        doc.put("name", r == null ? null : r.name());
        doc.put("role", r == null ? null : r.role());
        doc.put("node_key", r == null ? null : r.node());
        doc.put("key", r == null ? null : r.key());
        Credential c = session.credential();
        ObjectNode cred = doc.putObject("credential");
        cred.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
        cred.put("file", c.file() == null ? null : c.file().toString());
        cred.put("from", c.source());
        cred.put("name", c.operatorName());
        cred.put("key", c.fingerprint());
        ArrayNode nodes = doc.putArray("nodes");
        for (WhoamiQuery.View v : q.views()) {
            WhoamiReply n = v.reply();
            nodes.addObject().put("node", v.node()).put("keyed", n == null ? null : n.keyed())
                    .put("name", n == null ? null : n.name()).put("role", n == null ? null : n.role())
                    .put("key", n == null ? null : n.key()).put("error", v.error());
        }
        doc.put("error", first == null ? whoamiFailure(q, session) : null);
        return doc;
    }

    /** A block per node (its keys, what each opened), then the findings and a summary line. */
    static void keyring(KeyringCheck check, PrintWriter out) {
        for (KeyringCheck.Node n : check.nodes()) {
            StatusReply.Keyring k = n.keyring();
            if (!n.answered()) {
                out.println(n.name() + ": " + (n.reachable() ? n.error() : "no answer (" + n.error() + ")"));
                continue;
            }
            if (k == null) {
                out.println(n.name() + (check.keyedClient() ? ": no keyring reported (it answered sealed: it has a key)"
                        : ": no cluster key"));
                continue;
            }
            int keys = k.keys() == null ? 0 : k.keys().size();
            out.println(n.name() + ": primary " + k.primary() + ", " + keys + " node key" + (keys == 1 ? "" : "s") + ", "
                    + orDash(k.operators()) + " operator" + (Long.valueOf(1).equals(k.operators()) ? "" : "s")
                    + ", reloads " + orDash(k.reloads()) + " (" + orDash(k.reloadFailures()) + " refused)");
            List<List<String>> rows = new ArrayList<>();
            Map<String, Long> opened = k.openedByKey() == null ? Map.of() : k.openedByKey();
            Set<String> shown = new LinkedHashSet<>(k.keys() == null ? List.of() : k.keys());
            for (String key : shown) {
                rows.add(List.of("  " + key, key.equals(k.primary()) ? "primary" : "node", count(opened.get(key))));
            }
            for (Map.Entry<String, Long> e : opened.entrySet()) {
                if (!shown.contains(e.getKey())) {
                    // a key this node opened with but does not hold as a node key: an operator's
                    rows.add(List.of("  " + e.getKey(), check.isNodeKey(e.getKey()) ? "node" : "operator",
                            count(e.getValue())));
                }
            }
            Table.print(out, List.of("  KEY", "KIND", "OPENED"), rows, Set.of(2));
        }
        if (!check.verdicts().isEmpty()) {
            out.println();
        }
        for (KeyringCheck.Verdict v : check.verdicts()) {
            out.println((v.kind().problem() ? "! " : "  ") + v.text());
        }
        out.println(summary(check));
        out.flush();
    }

    static String summary(KeyringCheck check) {
        List<KeyringCheck.Verdict> problems = check.problems();
        if (!problems.isEmpty()) {
            return "NOT consistent: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " above (!)";
        }
        if (!check.consistent()) {
            return "not known to be consistent: " + check.answering() + " of " + check.nodes().size()
                    + " nodes reported their keyring";
        }
        String primary = check.agreedPrimary();
        if (primary == null) {
            return "consistent: no node has a cluster key";
        }
        StatusReply.Keyring any = check.nodes().get(0).keyring();
        int keys = any.keys() == null ? 0 : any.keys().size();
        return "consistent: every node seals with " + primary + " and accepts the same " + keys + " node key"
                + (keys == 1 ? "" : "s");
    }

    static ObjectNode keyringJson(KeyringCheck check) {
        ObjectNode doc = JsonOutput.object();
        ArrayNode nodes = doc.putArray("nodes");
        for (KeyringCheck.Node n : check.nodes()) {
            StatusReply.Keyring k = n.keyring();
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("address", n.address());
            o.put("reachable", n.reachable());
            o.put("keyed", n.keyed());
            o.put("primary", k == null ? null : k.primary());
            if (k == null || k.keys() == null) {
                o.putNull("keys");
            } else {
                ArrayNode keys = o.putArray("keys");
                k.keys().forEach(keys::add);
            }
            o.put("operators", k == null ? null : k.operators());
            if (k == null || k.openedByKey() == null) {
                o.putNull("opened_by_key");
            } else {
                ObjectNode opened = o.putObject("opened_by_key");
                k.openedByKey().forEach(opened::put);
            }
            o.put("reloads", k == null ? null : k.reloads());
            o.put("reload_failures", k == null ? null : k.reloadFailures());
            o.put("error", n.error());
        }
        ArrayNode verdicts = doc.putArray("verdicts");
        for (KeyringCheck.Verdict v : check.verdicts()) {
            ObjectNode o = verdicts.addObject();
            o.put("kind", v.kind().wireName());
            o.put("problem", v.kind().problem());
            o.put("key", v.key());
            ArrayNode names = o.putArray("nodes");
            v.nodes().forEach(names::add);
            o.put("text", v.text());
        }
        doc.put("consistent", check.problems().isEmpty() && check.consistent());
        doc.put("answering", check.answering());
        doc.put("total", check.nodes().size());
        return doc;
    }

    private static String orDash(Long n) {
        return n == null ? "-" : Long.toString(n);
    }

    private static String count(Long n) {
        return n == null ? "0" : Long.toString(n);
    }
}

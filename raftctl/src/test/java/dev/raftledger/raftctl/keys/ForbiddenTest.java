package dev.raftledger.raftctl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.auth.Role;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftctl.FakeClusterTest;
import dev.raftledger.raftctl.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command a viewer or a clerk may not run, against fake nodes that refuse as raftd does
 * (ERROR FORBIDDEN): each prints what the node said, exits 1 as other refusals do, and changes
 * nothing; the requests a viewer may make still work.
 */
class ForbiddenTest extends FakeClusterTest {

    private Path viewer;
    private Path clerk;

    @BeforeEach
    void keyed() throws Exception {
        cluster.nodes().forEach(n -> n.keyed(WhoamiCommandTest.nodeKeys(Role.CLERK)));
        cluster.electLeader("Node1", 3);
        cluster.seed("2026-11-25", "12.50", "EUR", "food", "ana", "lunch");
        viewer = WhoamiCommandTest.secretFile(home, "ci.cred", "ci " + WhoamiCommandTest.CI + "\n");
        clerk = WhoamiCommandTest.secretFile(home, "alice.cred", "alice " + WhoamiCommandTest.ALICE + "\n");
    }

    private List<List<String>> adminCommands() {
        return List.of(List.of("timeout", "Node2"), List.of("convert-follower", "Node2"), List.of("shutdown", "Node2"),
                List.of("snapshot", "Node2"), List.of("transfer-leader"), List.of("member", "add", "Node6", "127.0.0.26"),
                List.of("member", "promote", "Node5"), List.of("member", "remove", "Node5"),
                List.of("backup", "save", "--node", "Node1", home.resolve("b.backup").toString()));
    }

    private List<List<String>> clerkCommands() throws Exception {
        Path csv = home.resolve("rows.csv");
        Files.writeString(csv, "date,amount,currency,category,payer\n2026-11-25,1,EUR,food,ana\n2026-11-26,2,EUR,food,ana\n");
        return List.of(List.of("store", "k", "v"),
                List.of("expense", "add", "--amount", "1", "--currency", "EUR", "--category", "food", "--payer", "ana"),
                List.of("expense", "edit", "E1", "--payer", "bo"), List.of("expense", "rm", "E1"),
                List.of("import", csv.toString()));
    }

    private Run as(Path credential, List<String> command, String... before) {
        List<String> args = new ArrayList<>(List.of(cluster.args(before)));
        args.addAll(List.of("--credential-file", credential.toString()));
        args.addAll(command);
        return Run.of(home, args.toArray(new String[0]));
    }

    private void assertRefused(Run run, List<String> command, String who, String role) {
        String what = String.join(" ", command);
        assertEquals(1, run.code(), what + ": " + run.out() + run.err());
        // import reports each row on stdout, the others on stderr
        assertTrue((run.out() + run.err()).matches("(?s).*FORBIDDEN: [A-Z_]+ needs the role " + role + "; " + who
                + " is a .*"), what + ": " + run.out() + run.err());
        assertTrue(run.noStackTrace(), run.err());
    }

    @Test
    void aViewerIsRefusedEveryClerkAndAdminCommandWithTheNodesWordsAndExitOne() throws Exception {
        long before = cluster.log().lastIndex();
        for (List<String> c : adminCommands()) {
            assertRefused(as(viewer, c), c, "ci", "admin");
        }
        for (List<String> c : clerkCommands()) {
            assertRefused(as(viewer, c), c, "ci", "clerk");
        }
        assertEquals(before, cluster.log().lastIndex(), "nothing was written");
        assertTrue(Files.notExists(home.resolve("b.backup")), "no backup file");
        assertEquals("leader", cluster.node("Node1").reply(dev.raftledger.common.wire.ControllerMessage
                .request("STATUS")).value().get("state").asText(), "still leading");
    }

    @Test
    void aClerkIsRefusedEveryAdminCommandButWrites() throws Exception {
        for (List<String> c : adminCommands()) {
            assertRefused(as(clerk, c), c, "alice", "admin");
        }
        Run add = as(clerk, clerkCommands().get(1));
        assertEquals(0, add.code(), add.err());
    }

    @Test
    void theMessageIsTheNodesExactly() throws Exception {
        Run run = as(viewer, List.of("expense", "add", "--amount", "1", "--currency", "EUR", "--category", "food",
                "--payer", "ana"));
        assertEquals("raftctl: expense add: Node1 refused EXPENSE: FORBIDDEN: EXPENSE needs the role clerk; ci is a "
                + "viewer", run.err().strip());

        Run json = as(viewer, List.of("expense", "rm", "E1"), "--json");
        JsonNode doc = Codec.readTree(json.out());
        assertEquals("FORBIDDEN", doc.get("error").asText());
        assertEquals(1, json.code());
    }

    @Test
    void anImportStopsAtTheFirstForbiddenRowInsteadOfSendingEveryOne() throws Exception {
        List<String> command = clerkCommands().get(4);
        Run run = as(viewer, command);

        assertEquals(1, run.code());
        assertEquals(1, cluster.node("Node1").received("EXPENSE").size(), "the second row was not sent");
        assertTrue(run.out().contains("stopped at line 2: 1 later row was not sent"), run.out());
    }

    @Test
    void aViewerStillReads() {
        for (List<String> c : List.of(List.of("status"), List.of("leader"), List.of("expense", "list"), List.of("log"),
                List.of("member", "list"), List.of("retrieve"), List.of("health"), List.of("whoami"))) {
            Run run = as(viewer, c);
            assertEquals(0, run.code(), c + ": " + run.err());
        }
    }
}

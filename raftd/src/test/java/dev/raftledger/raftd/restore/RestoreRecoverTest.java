package dev.raftledger.raftd.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.backup.ExpensesDigest;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.raftd.RaftdCommand;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.start.StartupState;
import dev.raftledger.raftd.store.ClusterId;
import dev.raftledger.raftd.store.DataDir;
import dev.raftledger.raftd.store.HardStateStore;
import dev.raftledger.raftd.store.log.LogOptions;
import dev.raftledger.raftd.store.log.SegmentedLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * raftd recover and raftd restore without a cluster: a survivor's whole log (no snapshot, the
 * last entries never known committed) becomes a backup and three restored data dirs of one new
 * cluster identity; and bad input (a truncated or foreign backup, a data dir that is not empty,
 * an unknown member, an existing --backup-out) is refused with a one-line error and its exit
 * status, changing nothing.
 */
class RestoreRecoverTest {

    private static final String MEMBERS = "Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3";

    @TempDir
    Path work;

    private record Run(int code, String out, String err) {}

    private static Run raftd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RaftdCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Payload add(String client, long seq, String amount) {
        return Payload.ofJson("{\"op\":\"add\",\"client_id\":\"" + client + "\",\"seq\":" + seq + ",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"category\":\"food\",\"payer\":\"ann\",\"date\":\"2026-11-25\"}");
    }

    /** A survivor's data dir: term 2, a log of a no-op, 20 adds, a STORE and a no-op of term 2; no snapshot. */
    private List<Entry> survivor(Path dir) throws Exception {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(0, 1, Payload.NOOP));
        for (int i = 1; i <= 20; i++) {
            entries.add(new Entry(i, 1, add("client-" + (i % 3), i, i + ".50")));
        }
        entries.add(new Entry(21, 1, Payload.ofJson("{\"key\":\"k\",\"value\":\"v\"}")));
        entries.add(new Entry(22, 2, Payload.NOOP));
        try (DataDir d = DataDir.open(dir); SegmentedLog log = SegmentedLog.open(dir.resolve("log"), LogOptions.defaults())) {
            HardStateStore.open(d, "Node1").save(new HardState(3, "Node1"));
            for (Entry e : entries) {
                log.append(e.index(), e.term(), e.data().bytes());
            }
            log.sync();
        }
        ClusterId.write(dir, ClusterId.ofNewCluster(List.of("Node1", "Node2", "Node3", "Node4", "Node5")));
        return entries;
    }

    @Test
    void recoverKeepsEveryEntryOfTheSurvivorAndRestoreGivesEveryMemberOneNewIdentity() throws Exception {
        Path survivor = work.resolve("Node1.raftd");
        List<Entry> entries = survivor(survivor);
        ReplicatedState expected = ReplicatedState.empty();
        entries.forEach(expected::apply);
        String oldId = ClusterId.read(survivor);

        Path backup = work.resolve("recovered.backup");
        Run r = raftd("recover", "--data-dir", survivor.toString(), "--name", "Node1", "--cluster", MEMBERS,
                "--backup-out", backup.toString());
        assertEquals(0, r.code(), r.out() + r.err());

        BackupFile.Contents c = BackupFile.read(backup);
        assertEquals(22, c.header().index(), "every entry of the log, the last never known committed included");
        assertEquals(2, c.header().term());
        assertEquals(20, c.expenses());
        assertEquals(1, c.stores());
        assertEquals(3, c.sessions());
        assertEquals(ExpensesDigest.of(expected.ledger()), c.expensesDigest());
        assertEquals(oldId, c.header().description().clusterId(), "the backup names the cluster it came from");
        try (Stream<Path> siblings = Files.list(work)) {
            assertTrue(siblings.anyMatch(p -> p.getFileName().toString().startsWith("Node1.raftd.before-recover-")),
                    "the survivor's data dir is kept aside");
        }

        List<String> ids = new ArrayList<>();
        ids.add(ClusterId.read(survivor));
        for (String name : List.of("Node2", "Node3")) {
            Path dir = work.resolve(name + ".raftd");
            Run restored = raftd("restore", "--from", backup.toString(), "--name", name, "--cluster", MEMBERS,
                    "--data-dir", dir.toString());
            assertEquals(0, restored.code(), restored.out() + restored.err());
            assertEquals("", restored.err(), "no progress when stderr is not a terminal");
            ids.add(ClusterId.read(dir));
            try (SegmentedLog log = SegmentedLog.open(dir.resolve("log"), LogOptions.defaults())) {
                StartupState s = StartupState.recover(name, dir.resolve("snapshots"), log);
                assertEquals(expected.ledger().stateDigest(), s.state().ledger().stateDigest(), name);
                assertEquals(expected.stores().all().toString(), s.state().stores().all().toString(), name);
                assertEquals(ClusterConfig.parse(s.latest().configuration()).names(), List.of("Node1", "Node2", "Node3"));
                assertEquals(22, s.snapshot().index());
            }
            try (DataDir d = DataDir.open(dir)) {
                assertEquals(2, HardStateStore.open(d, name).current().term(), "the current term is the snapshot's");
            }
        }
        assertEquals(1, ids.stream().distinct().count(), "one identity for the new cluster: " + ids);
        assertNotEquals(oldId, ids.get(0), "not the old cluster's");
        assertTrue(ClusterId.valid(ids.get(0)));
    }

    private Path backup() throws Exception {
        Path survivor = work.resolve("source.raftd");
        survivor(survivor);
        Path backup = work.resolve("good.backup");
        assertEquals(0, Recovery.export(survivor, "Node1", backup).logEntries() > 0 ? 0 : 1);
        return backup;
    }

    private static void assertOneLine(String text) {
        assertEquals(1, text.strip().lines().count(), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    }

    @Test
    void aTruncatedBackupIsRefusedAndNothingIsMade() throws Exception {
        Path good = backup();
        byte[] all = Files.readAllBytes(good);
        Path torn = work.resolve("torn.backup");
        Files.write(torn, java.util.Arrays.copyOf(all, all.length / 2));
        Path dir = work.resolve("new.raftd");
        Run r = raftd("restore", "--from", torn.toString(), "--name", "Node2", "--cluster", MEMBERS, "--data-dir",
                dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertOneLine(r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertFalse(Files.exists(dir), "no data dir is made");
    }

    @Test
    void aFileThatIsNotABackupIsRefused() throws Exception {
        Path foreign = work.resolve("notes.txt");
        Files.writeString(foreign, "shopping list: bread, milk, eggs\n", StandardCharsets.UTF_8);
        Path dir = work.resolve("new.raftd");
        Run r = raftd("restore", "--from", foreign.toString(), "--name", "Node2", "--cluster", MEMBERS, "--data-dir",
                dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertOneLine(r.err());
        assertTrue(r.err().contains("not a raftledger backup"), r.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aDataDirThatIsNotEmptyIsLeftAsItIs() throws Exception {
        Path good = backup();
        Path dir = Files.createDirectories(work.resolve("busy.raftd"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        Run r = raftd("restore", "--from", good.toString(), "--name", "Node2", "--cluster", MEMBERS, "--data-dir",
                dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertOneLine(r.err());
        assertTrue(r.err().contains("is not empty"), r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("keep.txt")), files.toList());
        }
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }

    @Test
    void anUnknownMemberNameIsAUsageError() throws Exception {
        Path good = backup();
        Path dir = work.resolve("new.raftd");
        Run r = raftd("restore", "--from", good.toString(), "--name", "Node9", "--cluster", MEMBERS, "--data-dir",
                dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertOneLine(r.err());
        assertTrue(r.err().contains("unknown node 'Node9'"), r.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void recoverRefusesAnExistingBackupFileAndAnEmptyDataDir() throws Exception {
        Path survivor = work.resolve("Node1.raftd");
        survivor(survivor);
        Path exists = Files.writeString(work.resolve("exists.backup"), "x");
        Run r = raftd("recover", "--data-dir", survivor.toString(), "--name", "Node1", "--cluster", MEMBERS,
                "--backup-out", exists.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertOneLine(r.err());
        assertEquals("x", Files.readString(exists));
        assertTrue(Files.exists(survivor.resolve("log")), "the survivor is untouched");
        Run empty = raftd("recover", "--data-dir", work.resolve("nothing").toString(), "--name", "Node1", "--cluster",
                MEMBERS, "--backup-out", work.resolve("b").toString());
        assertEquals(2, empty.code(), empty.out() + empty.err());
        assertTrue(empty.err().contains("holds no node's data"), empty.err());
    }
}

package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * raftctl against bad command lines, nodes that never answer and nodes that answer badly, for
 * every command. docs/raftctl.md: a usage error is exit status 2, one line on stderr plus a hint,
 * and nothing sent; no answer, no leader, a refusal or an unusable reply is exit status 1 with
 * a one-line message (on stderr; status and watch show each node's problem in their table, and
 * import in its summary, on stdout); never a stack trace.
 *
 * <p>Usage errors run against the fake nodes of {@link FakeCluster} (to show nothing was sent).
 * Silent and badly answering nodes are raw UDP responders ({@link RawNodes}) on 127.0.0.51-53,
 * which can send what FakeNode cannot: bytes that are not JSON, JSON cut short.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadUsageTest {

    @TempDir
    Path home;

    @TempDir
    Path files;

    // ---- usage errors -----------------------------------------------------------------------

    /** Global options pointing at the cluster, then the command line under test. */
    private static List<String> cmd(String... command) {
        List<String> args = new ArrayList<>(List.of("--cluster", "{cluster}", "--controller-port", "{port}", "--timeout-ms",
                "200"));
        args.addAll(List.of(command));
        return args;
    }

    private static Arguments usage(String label, List<String> args) {
        return Arguments.of(label, args);
    }

    static Stream<Arguments> usageErrors() {
        String add = "expense add --amount 12.50 --currency EUR --category food --payer ana --date 2026-11-25";
        return Stream.of(
                // global options
                usage("unknown global option", List.of("--cluster", "{cluster}", "--bogus", "status")),
                usage("timeout not a number", List.of("--cluster", "{cluster}", "--timeout-ms", "abc", "status")),
                usage("timeout zero", List.of("--cluster", "{cluster}", "--timeout-ms", "0", "status")),
                usage("timeout too long", List.of("--cluster", "{cluster}", "--timeout-ms", "60001", "status")),
                usage("write timeout zero", List.of("--cluster", "{cluster}", "--write-timeout-ms", "0", "status")),
                usage("port zero", List.of("--cluster", "{cluster}", "--controller-port", "0", "status")),
                usage("port too big", List.of("--cluster", "{cluster}", "--controller-port", "70000", "status")),
                usage("port negative", List.of("--cluster", "{cluster}", "--controller-port=-1", "status")),
                usage("cluster without host", List.of("--cluster", "Node1", "status")),
                usage("cluster empty", List.of("--cluster", "", "status")),
                usage("cluster name twice", List.of("--cluster", "Node1=a,Node1=b", "status")),
                usage("cluster bad name", List.of("--cluster", "No de=127.0.0.51", "status")),
                usage("config missing", List.of("--config", "/nonexistent/raftctl.conf", "status")),
                usage("client id with a blank", List.of("--cluster", "{cluster}", "--client-id", "a b", "status")),
                usage("client id too long", List.of("--cluster", "{cluster}", "--client-id", "c".repeat(65), "status")),
                usage("seq zero", List.of("--cluster", "{cluster}", "--seq", "0", "status")),
                usage("seq above 2^53-1", List.of("--cluster", "{cluster}", "--seq", "9007199254740992", "status")),
                usage("seq not a number", List.of("--cluster", "{cluster}", "--seq", "x", "status")),
                usage("unknown command", cmd("frob")),
                usage("misspelt command", cmd("stauts")),
                // status, leader, watch
                usage("status extra", cmd("status", "extra")),
                usage("status unknown option", cmd("status", "--all")),
                usage("leader extra", cmd("leader", "Node1")),
                usage("watch interval text", cmd("watch", "--interval", "abc")),
                usage("watch interval zero", cmd("watch", "--interval", "0")),
                usage("watch interval over a day", cmd("watch", "--interval", "86400001")),
                usage("watch count negative", cmd("watch", "--count=-1")),
                usage("watch extra", cmd("watch", "extra")),
                // node commands
                usage("timeout missing node", cmd("timeout")),
                usage("timeout extra node", cmd("timeout", "Node1", "Node2")),
                usage("timeout unknown node", cmd("timeout", "Node9")),
                usage("timeout node case", cmd("timeout", "node1")),
                usage("convert-follower missing", cmd("convert-follower")),
                usage("convert-follower unknown", cmd("convert-follower", "Mallory")),
                usage("shutdown missing", cmd("shutdown")),
                usage("shutdown unknown option", cmd("shutdown", "Node1", "--force")),
                usage("kill unknown", cmd("kill", "Node9")),
                // store, retrieve
                usage("store nothing", cmd("store")),
                usage("store key only", cmd("store", "k")),
                usage("store extra", cmd("store", "k", "v", "w")),
                usage("retrieve extra", cmd("retrieve", "k")),
                // expense
                usage("expense without subcommand", cmd("expense")),
                usage("expense unknown subcommand", cmd("expense", "frob")),
                usage("add missing options", cmd("expense", "add", "--amount", "1")),
                usage("add extra positional", cmd((add + " extra").split(" "))),
                usage("add amount exponent", cmd(add.replace("12.50", "1e3").split(" "))),
                usage("add amount negative", cmd(add.replace("12.50", "-5").split(" "))),
                usage("add amount zero", cmd(add.replace("12.50", "0").split(" "))),
                usage("add amount too precise", cmd(add.replace("12.50", "1.234").split(" "))),
                usage("add amount comma", cmd(add.replace("12.50", "1,50").split(" "))),
                usage("add amount too big", cmd(add.replace("12.50", "1000000000.01").split(" "))),
                usage("add amount fullwidth", cmd(add.replace("12.50", "\uFF11\uFF12").split(" "))),
                usage("add currency long", cmd(add.replace("EUR", "EURO").split(" "))),
                usage("add currency unknown", cmd(add.replace("EUR", "ABC").split(" "))),
                usage("add currency test code", cmd(add.replace("EUR", "XTS").split(" "))),
                usage("add JPY with decimals", cmd(add.replace("EUR", "JPY").split(" "))),
                usage("add date invalid", cmd(add.replace("2026-11-25", "2026-02-30").split(" "))),
                usage("add date format", cmd(add.replace("2026-11-25", "25.11.2026").split(" "))),
                usage("add date too early", cmd(add.replace("2026-11-25", "1899-12-31").split(" "))),
                usage("add date too late", cmd(add.replace("2026-11-25", "3000-01-01").split(" "))),
                usage("add category empty", cmd("expense", "add", "--amount", "1", "--currency", "EUR", "--category", "",
                        "--payer", "ana")),
                usage("add payer too long", cmd("expense", "add", "--amount", "1", "--currency", "EUR", "--category", "c",
                        "--payer", "p".repeat(65))),
                usage("add description line break", cmd("expense", "add", "--amount", "1", "--currency", "EUR",
                        "--category", "c", "--payer", "p", "--description", "a\nb")),
                usage("add description too long", cmd("expense", "add", "--amount", "1", "--currency", "EUR",
                        "--category", "c", "--payer", "p", "--description", "d".repeat(501))),
                usage("edit missing id", cmd("expense", "edit", "--payer", "bo")),
                usage("edit bad id", cmd("expense", "edit", "X1", "--payer", "bo")),
                usage("edit nothing to change", cmd("expense", "edit", "E1")),
                usage("edit amount without currency", cmd("expense", "edit", "E1", "--amount", "5")),
                usage("edit currency without amount", cmd("expense", "edit", "E1", "--currency", "EUR")),
                usage("rm missing id", cmd("expense", "rm")),
                usage("rm bad id", cmd("expense", "rm", "E-1")),
                usage("rm two ids", cmd("expense", "rm", "E1", "E2")),
                usage("delete bad id", cmd("expense", "delete", "1")),
                usage("list limit zero", cmd("expense", "list", "--limit", "0")),
                usage("list limit text", cmd("expense", "list", "--limit", "x")),
                usage("list bad from", cmd("expense", "list", "--from", "2026-13-01")),
                usage("list from after to", cmd("expense", "list", "--from", "2026-12-01", "--to", "2026-01-01")),
                usage("list empty category", cmd("expense", "ls", "--category", "")),
                usage("report without by", cmd("expense", "report")),
                usage("report by year", cmd("expense", "report", "--by", "year")),
                usage("report bad to", cmd("expense", "report", "--by", "month", "--to", "tomorrow")),
                // log
                usage("log from negative", cmd("log", "--from=-1")),
                usage("log from text", cmd("log", "--from", "x")),
                usage("log limit zero", cmd("log", "--limit", "0")),
                usage("log limit too big", cmd("log", "--limit", "1000001")),
                usage("log unknown node", cmd("log", "--node", "Node9")),
                usage("log extra", cmd("log", "5")),
                // import, export
                usage("import nothing", cmd("import")),
                usage("import two files", cmd("import", "a.csv", "b.csv")),
                usage("import missing file", cmd("import", "{dir}/missing.csv")),
                usage("import empty file", cmd("import", "{dir}/empty.csv")),
                usage("import unknown column", cmd("import", "{dir}/unknown-column.csv")),
                usage("import missing column", cmd("import", "{dir}/missing-column.csv")),
                usage("import repeated column", cmd("import", "{dir}/repeated-column.csv")),
                usage("import unclosed quote", cmd("import", "{dir}/unclosed-quote.csv")),
                usage("import not UTF-8", cmd("import", "{dir}/latin1.csv")),
                usage("import progress zero", cmd("import", "{dir}/good.csv", "--progress-every", "0")),
                usage("export bad format", cmd("export", "--format", "xml")),
                usage("export bad date", cmd("export", "--from", "x")),
                usage("help unknown", cmd("help", "frob")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorIsStatusTwoWithOneLineAndAHintAndNothingIsSent(String label, List<String> template) throws Exception {
        writeCsvFiles();
        try (FakeCluster cluster = FakeCluster.start(3)) {
            cluster.electLeader("Node1", 2);
            Run run = Run.of(home, fill(template, cluster.spec(), cluster.port()));

            String why = label + ": exit " + run.code() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
            assertEquals(2, run.code(), why);
            List<String> lines = lines(run.err());
            assertTrue(!lines.isEmpty() && lines.get(0).startsWith("raftctl: ") && lines.get(0).length() > 15,
                    "a message first: " + why);
            assertTrue(lines.size() <= 4 && lines.get(lines.size() - 1).startsWith("Try '"),
                    "the message, maybe suggestions, then a hint: " + why);
            assertTrue(run.out().isBlank(), "nothing on stdout: " + why);
            assertTrue(run.noStackTrace(), why);
            assertTrue(cluster.nothingReceived(), "nothing sent: " + why);
        }
    }

    private void writeCsvFiles() throws IOException {
        Files.writeString(files.resolve("good.csv"), "date,amount,currency,category,payer\n2026-11-25,12.50,EUR,food,ana\n");
        Files.writeString(files.resolve("empty.csv"), "");
        Files.writeString(files.resolve("unknown-column.csv"), "date,amount,currency,category,payer,tip\n");
        Files.writeString(files.resolve("missing-column.csv"), "date,amount,category,payer\n");
        Files.writeString(files.resolve("repeated-column.csv"), "date,amount,currency,category,payer,amount\n");
        Files.writeString(files.resolve("unclosed-quote.csv"),
                "date,amount,currency,category,payer,description\n2026-11-25,1,EUR,food,ana,\"lunch\n");
        Files.write(files.resolve("latin1.csv"),
                "date,amount,currency,category,payer\n2026-11-25,1,EUR,caf\u00e9,ana\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private String[] fill(List<String> template, String spec, int port) {
        return template.stream().map(a -> a.replace("{cluster}", spec).replace("{port}", Integer.toString(port))
                .replace("{dir}", files.toString())).toArray(String[]::new);
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toList();
    }

    // ---- nodes that do not answer, or answer badly ------------------------------------------

    /** Every command that talks to nodes, as raftctl's arguments after the global options. */
    private static final List<List<String>> COMMANDS = List.of(
            List.of("status"),
            List.of("leader"),
            List.of("timeout", "Node1"),
            List.of("convert-follower", "Node1"),
            List.of("shutdown", "Node1"),
            List.of("watch", "--count", "2", "--interval", "1"),
            List.of("store", "k", "v"),
            List.of("retrieve"),
            List.of("expense", "add", "--amount", "12.50", "--currency", "EUR", "--category", "food", "--payer", "ana",
                    "--date", "2026-11-25"),
            List.of("expense", "edit", "E1", "--payer", "bo"),
            List.of("expense", "rm", "E1"),
            List.of("expense", "list"),
            List.of("expense", "report", "--by", "category"),
            List.of("log"),
            List.of("log", "--node", "Node2"),
            List.of("import", "{dir}/good.csv"),
            List.of("export"));

    /** How the nodes answer: each gets the request's name and returns the reply's bytes (null: none). */
    enum Answering {
        /** Never a reply. */
        SILENT(r -> null),
        /** Bytes that are not JSON at all. */
        GARBAGE(r -> new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, 'x', (byte) 0xC3, '('}),
        /** A reply of the right name cut short in the middle of its value. */
        TRUNCATED(r -> {
            byte[] whole = Codec.encode(new ControllerMessage("NodeX", r, 1L, text("KEY"),
                    Codec.objectNode().put("leader", "Node1").put("term", 1)));
            return Arrays.copyOf(whole, whole.length - 12);
        }),
        /** Valid JSON, but a reply to some other request. */
        WRONG_REQUEST(r -> Codec.encode(new ControllerMessage("NodeX", "BANANA", 1L, text("KEY"), text("v")))),
        /** The right request name with neither key nor value. */
        MISSING_FIELDS(r -> Codec.encode(new ControllerMessage("NodeX", r, null, null, null))),
        /** A refusal. */
        ERROR(r -> Codec.encode(new ControllerMessage("NodeX", "ERROR", 1L, text("MALFORMED"), text("go away"))));

        final Function<String, byte[]> reply;

        Answering(Function<String, byte[]> reply) {
            this.reply = reply;
        }
    }

    static Stream<Arguments> badAnswers() {
        List<Arguments> out = new ArrayList<>();
        for (Answering a : Answering.values()) {
            for (List<String> command : COMMANDS) {
                // once with every request answered badly, once (for the commands that go through the
                // leader) with LEADER_INFO answered well, naming Node1: the request itself then meets
                // the bad answer
                out.add(Arguments.of(a, command, false));
                if (routed(command)) {
                    out.add(Arguments.of(a, command, true));
                }
            }
        }
        return out.stream();
    }

    /** Commands that find the leader with LEADER_INFO (or are redirected by it). */
    private static boolean routed(List<String> command) {
        return !List.of("status", "leader", "timeout", "convert-follower", "shutdown", "watch").contains(command.get(0))
                && !command.contains("--node");
    }

    /**
     * The exit status docs/raftctl.md gives: 1 when the command cannot get what it needs. A node
     * that answers, however badly, has answered: status and watch then exit 0 and show its
     * problem in their table. A reply of the right name, missing its value, is still that reply:
     * store reports an unknown index (node commands refuse a reply without their state).
     */
    private static int expectedStatus(Answering a, List<String> command, boolean leaderInfoAnswered) {
        String c = command.get(0);
        boolean answered = a == Answering.WRONG_REQUEST || a == Answering.MISSING_FIELDS || a == Answering.ERROR;
        if (c.equals("status") || c.equals("watch")) {
            return answered ? 0 : 1;
        }
        if (a == Answering.MISSING_FIELDS && c.equals("store") && leaderInfoAnswered) {
            return 0; // the leader named, its STORE reply without index and term: "stored ... at index ?"
        }
        return 1;
    }

    @ParameterizedTest(name = "{0} {1} leaderInfoAnswered={2}")
    @MethodSource("badAnswers")
    void nodesThatAreSilentOrAnswerBadlyGiveTheDocumentedStatusAndAClearMessage(Answering a, List<String> command,
                                                                                 boolean leaderInfoAnswered) throws Exception {
        writeCsvFiles();
        Function<String, byte[]> reply = r -> leaderInfoAnswered && r.equals("LEADER_INFO")
                ? Codec.encode(new ControllerMessage("NodeX", "LEADER_INFO", 1L, text("LEADER"), text("Node1")))
                : a.reply.apply(r);
        int expected = expectedStatus(a, command, leaderInfoAnswered);
        // Where a reply makes the command succeed it comes at once, so a long wait costs nothing and
        // keeps a slow machine from failing the test; where the command is to fail, it fails by
        // running out of time, so a short wait keeps the test quick (a late reply fails it all the same).
        String timeout = expected == 0 ? "1000" : "10";
        String writeTimeout = expected == 0 ? "2000" : "60";
        try (RawNodes nodes = RawNodes.start(3, reply)) {
            List<String> args = new ArrayList<>(List.of("--cluster", nodes.spec(), "--controller-port",
                    Integer.toString(nodes.port()), "--timeout-ms", timeout, "--write-timeout-ms", writeTimeout));
            args.addAll(command);
            Run run = Run.of(home, fill(args, nodes.spec(), nodes.port()));

            String why = a + " " + command + ": exit " + run.code() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
            assertEquals(expected, run.code(), why);
            assertTrue(run.noStackTrace(), "no stack trace: " + why);
            assertTrue(nodes.awaitReceived(Duration.ofSeconds(5)) > 0, "something was sent: " + why);
            String c = command.get(0);
            if (c.equals("status") || c.equals("watch")) {
                // the table names each node's problem
                assertTrue(run.out().contains("Node1: ") && run.out().contains("Node3: "), "each node's problem: " + why);
            } else if (c.equals("import")) {
                // the summary, on stdout, names the row and why it was not imported (a refused row is
                // skipped and the import goes on; any other failure stops it there)
                assertTrue(run.out().contains("skipped 1 of 1 row") && run.out().contains("line 2: "), why);
                assertTrue(a == Answering.ERROR || run.out().contains("stopped at line 2"), why);
            } else if (run.code() != 0) {
                List<String> err = lines(run.err());
                assertEquals(1, err.size(), "one line on stderr: " + why);
                assertTrue(err.get(0).startsWith("raftctl: ") && err.get(0).length() > 20, why);
            }
        }
    }

    // ---- known bugs -------------------------------------------------------------------------

    /**
     * A reply holding a number with an exponent beyond an int's range makes the codec throw
     * Jackson's NumberFormatException (see common's HostileCodecFuzzTest), which ControllerClient
     * does not catch. raftctl then prints Jackson's message ("raftctl: Value "1e9999999999" can not
     * be deserialized as `java.math.BigDecimal`, ...") and exits 1, and the other nodes' answers
     * are lost: one bad node spoils `status` for the whole cluster instead of showing as
     * "unreadable reply" in its row.
     */
    @Test
    void aReplyWithAnUnreadableNumberIsThatNodesProblemOnly() throws Exception {
        byte[] bad = "{\"sender_name\":\"Node1\",\"request\":\"STATUS\",\"term\":1e9999999999,\"key\":\"STATUS\",\"value\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        AtomicInteger n = new AtomicInteger();
        try (RawNodes nodes = RawNodes.start(3, r -> n.getAndIncrement() == 0 ? bad
                : Codec.encode(new ControllerMessage("NodeX", "STATUS", 1L, text("STATUS"),
                        Codec.objectNode().put("state", "follower").put("term", 1))))) {
            Run run = Run.of(home, "--cluster", nodes.spec(), "--controller-port", Integer.toString(nodes.port()),
                    "--timeout-ms", "200", "status");
            String why = "exit " + run.code() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
            // status exits 1 when any member gives no usable answer (issue 10); the point here is that
            // the other nodes' rows are still there
            assertEquals(1, run.code(), "one node's reply is unreadable: " + why);
            assertEquals(2, run.out().lines().filter(l -> l.matches("\\S+\\s+127\\.0\\.0\\.\\d+\\s+yes\\s.*")).count(), why);
            assertTrue(run.out().contains("unreadable reply"), why);
            assertTrue(!run.err().contains("BigDecimal"), why);
        }
    }

    /**
     * A TIMEOUT, CONVERT_FOLLOWER or SHUTDOWN acknowledgement without its STATE value is taken
     * for success and printed as "Node1 started an election: state null, term null".
     */
    @Test
    void anAcknowledgementWithoutItsStateIsNotShownAsNull() throws Exception {
        try (RawNodes nodes = RawNodes.start(3, Answering.MISSING_FIELDS.reply)) {
            Run run = Run.of(home, "--cluster", nodes.spec(), "--controller-port", Integer.toString(nodes.port()),
                    "--timeout-ms", "200", "timeout", "Node1");
            assertTrue(!run.out().contains("null"), run.out());
        }
    }

    // ---- raw UDP nodes ----------------------------------------------------------------------

    private static com.fasterxml.jackson.databind.JsonNode text(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    /**
     * Controller ports that answer each request with whatever bytes {@code reply} makes of its
     * name (the name is "?" when the request did not decode; null: no reply). Node1..NodeN on
     * 127.0.0.51.., all on one free port.
     */
    static final class RawNodes implements AutoCloseable {
        private final List<DatagramSocket> sockets;
        private final List<Thread> threads = new ArrayList<>();
        private final int port;
        private final AtomicInteger received = new AtomicInteger();

        private RawNodes(List<DatagramSocket> sockets, Function<String, byte[]> reply) {
            this.sockets = sockets;
            this.port = sockets.get(0).getLocalPort();
            for (DatagramSocket s : sockets) {
                Thread t = new Thread(() -> serve(s, reply), "raw-node-" + s.getLocalAddress().getHostAddress());
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        static RawNodes start(int size, Function<String, byte[]> reply) throws IOException {
            BindException last = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                List<DatagramSocket> sockets = new ArrayList<>();
                try {
                    sockets.add(new DatagramSocket(new InetSocketAddress(host(1), 0)));
                    for (int i = 2; i <= size; i++) {
                        sockets.add(new DatagramSocket(new InetSocketAddress(host(i), sockets.get(0).getLocalPort())));
                    }
                    return new RawNodes(sockets, reply);
                } catch (BindException e) {
                    sockets.forEach(DatagramSocket::close);
                    last = e;
                }
            }
            throw last;
        }

        static String host(int i) {
            return "127.0.0." + (50 + i);
        }

        private void serve(DatagramSocket socket, Function<String, byte[]> reply) {
            byte[] buf = new byte[65_536];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException e) {
                    return;
                }
                received.incrementAndGet();
                String request;
                try {
                    request = Codec.decodeController(p.getData(), p.getOffset(), p.getLength()).request();
                } catch (MalformedMessageException e) {
                    request = "?";
                }
                byte[] answer = reply.apply(request);
                if (answer != null) {
                    try {
                        socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            }
        }

        String spec() {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= sockets.size(); i++) {
                sb.append(i == 1 ? "" : ",").append("Node").append(i).append('=').append(host(i));
            }
            return sb.toString();
        }

        int port() {
            return port;
        }

        int received() {
            return received.get();
        }

        /**
         * The datagrams received, polling until there is one or {@code within} has passed: the
         * serving threads may not have run yet on a loaded machine when raftctl, having sent
         * with a 10 ms timeout, has already given up.
         */
        int awaitReceived(Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (received.get() == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            return received.get();
        }

        @Override
        public void close() {
            sockets.forEach(DatagramSocket::close);
            for (Thread t : threads) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

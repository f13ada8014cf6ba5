package dev.raftledger.raftd.rig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.rig.History.Kind;
import dev.raftledger.raftd.rig.History.Op;
import dev.raftledger.raftd.rig.History.Outcome;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The rig's clients, a program of their own run in the clients' namespace:
 * {@code RigClient CLUSTER HISTORY_FILE WRITERS HOT SEED PAUSE_MS}. It first adds {@code HOT} shared
 * expenses (category {@code hot}), prints {@code ready} on stdout, then runs {@code WRITERS}
 * client sessions until a line {@code stop} (or the end) on stdin. Each session has its own
 * client id and sequence numbers and, one operation at a time, adds an expense (half the time),
 * edits a hot expense's description, or reads every hot expense linearizably. Writes are sent
 * with the exactly-once discipline: the same client id and seq again and again (following
 * LEADER_INFO, riding out lost replies, NOT_COMMITTED and leader changes) until a definite
 * result, or for at most 10 s, after which the outcome is recorded as unknown and the session
 * goes on with a new seq. A session waits {@code PAUSE_MS} between operations. Every operation is written to the history file with its invoke and
 * completion times (see {@link History}). Prints {@code done N} and exits 0 when it stops.
 *
 * <p>Threads: one per session, plus main reading stdin. Errors: none are thrown for network
 * trouble; a setup that cannot add the hot expenses within 60 s exits with status 1.
 */
public final class RigClient {

    private static final long WRITE_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long READ_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** After stop, an operation under way gets this long to finish before it is recorded unknown. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Errors that say the request was refused and nothing was done (the others leave the outcome unknown). */
    private static final java.util.Set<String> REFUSALS = java.util.Set.of("INVALID", "MALFORMED", "TOO_LARGE", "UNKNOWN_REQUEST");

    private final ClusterSpec cluster;
    private final BufferedWriter history;
    private final long pauseNanos;
    private volatile long stopAt = Long.MAX_VALUE;
    private int written;

    private RigClient(ClusterSpec cluster, BufferedWriter history, long pauseNanos) {
        this.cluster = cluster;
        this.history = history;
        this.pauseNanos = pauseNanos;
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = ClusterSpec.parse(args[0], Ports.SEED);
        Path file = Path.of(args[1]);
        int writers = Integer.parseInt(args[2]);
        int hot = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5]));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            RigClient client = new RigClient(cluster, out, pauseNanos);
            Session setup = client.new Session("hot", new SplittableRandom(seed));
            List<String> hotIds = new ArrayList<>();
            for (int i = 0; i < hot; i++) {
                Op op = setup.add(true, TimeUnit.SECONDS.toNanos(60));
                if (!op.ok()) {
                    System.out.println("setup failed: " + op.toJson());
                    System.exit(1);
                }
                hotIds.add(op.id());
            }
            System.out.println("ready " + String.join(",", hotIds));
            System.out.flush();
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < writers; k++) {
                Session s = client.new Session("c" + k, new SplittableRandom(seed * 31 + k + 1));
                Thread t = new Thread(() -> s.run(hotIds), "client-c" + k);
                t.start();
                threads.add(t);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.trim().equals("stop"); ) {
                // wait for stop
            }
            client.stopAt = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
            System.out.println("done " + client.written);
        }
        System.exit(0);
    }

    private synchronized void record(Op op) {
        try {
            history.write(op.toJson());
            history.newLine();
            history.flush();
            written++;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean stopping() {
        return stopAt != Long.MAX_VALUE;
    }

    /** One client session: its own id, sequence numbers and idea of who leads. */
    private final class Session {
        private final String clientId;
        private final SplittableRandom random;
        private final ControllerClient rpc = new ControllerClient(Duration.ofMillis(300), 1);
        private long seq;
        private String leader;
        private int next;

        Session(String clientId, SplittableRandom random) {
            this.clientId = clientId;
            this.random = random;
            this.next = random.nextInt(cluster.nodes().size());
        }

        void run(List<String> hotIds) {
            while (!stopping()) {
                int pick = random.nextInt(4);
                if (pick < 2) {
                    add(false, WRITE_BUDGET_NANOS);
                } else if (pick == 2) {
                    edit(hotIds.get(random.nextInt(hotIds.size())));
                } else {
                    read();
                }
                LockSupport.parkNanos(pauseNanos); // pacing, to keep the machine's CPU for the nodes
            }
        }

        Op add(boolean hot, long budget) {
            long s = ++seq;
            String tag = "a:" + clientId + ":" + s;
            ObjectNode cmd = Codec.objectNode();
            cmd.put("op", "add").put("client_id", clientId).put("seq", s)
                    .put("amount", (s % 1000 + 1) + ".00").put("currency", "EUR")
                    .put("category", hot ? "hot" : "load").put("description", tag)
                    .put("payer", clientId).put("date", "2026-11-25");
            return write(Kind.ADD, s, null, tag, hot, cmd, budget);
        }

        Op edit(String id) {
            long s = ++seq;
            String tag = "e:" + clientId + ":" + s;
            ObjectNode cmd = Codec.objectNode();
            cmd.put("op", "edit").put("client_id", clientId).put("seq", s).put("id", id).put("description", tag);
            return write(Kind.EDIT, s, id, tag, true, cmd, WRITE_BUDGET_NANOS);
        }

        private Op write(Kind kind, long s, String id, String tag, boolean hot, ObjectNode cmd, long budget) {
            ControllerMessage request = new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSE", null, null, cmd);
            long t0 = System.nanoTime();
            while (within(t0, budget)) {
                ControllerMessage r = ask(request);
                if (r != null && "ERROR".equals(r.request())) {
                    System.err.println(clientId + ": write refused: " + r);
                    Op op = new Op(clientId, kind, s, t0, System.nanoTime(), Outcome.FAIL, id, tag, hot, null);
                    record(op);
                    return op;
                }
                if (r != null && "EXPENSE".equals(r.request()) && "RESULT".equals(r.keyText())) {
                    JsonNode v = r.value();
                    boolean ok = v.get("ok").asBoolean();
                    Op op = new Op(clientId, kind, s, t0, System.nanoTime(), ok ? Outcome.OK : Outcome.FAIL,
                            kind == Kind.ADD ? (ok ? v.get("id").asText() : null) : id, tag, hot, null);
                    if (!ok) {
                        System.err.println(clientId + ": write refused: " + v);
                    }
                    record(op);
                    return op;
                }
            }
            Op op = new Op(clientId, kind, s, t0, History.NEVER, Outcome.UNKNOWN, id, tag, hot, null);
            record(op);
            return op;
        }

        void read() {
            ObjectNode q = Codec.objectNode();
            q.put("query", "list");
            q.putObject("filter").put("category", "hot").put("limit", 100);
            ControllerMessage request = new ControllerMessage(ControllerMessage.CONTROLLER, "EXPENSES", null, null, q);
            long t0 = System.nanoTime();
            while (within(t0, READ_BUDGET_NANOS)) {
                ControllerMessage r = ask(request);
                if (r != null && "ERROR".equals(r.request())) {
                    System.err.println(clientId + ": read refused: " + r);
                    break;
                }
                if (r != null && "EXPENSES".equals(r.request()) && "RESULT".equals(r.keyText())) {
                    Map<String, String> seen = new LinkedHashMap<>();
                    r.value().get("expenses").forEach(e -> seen.put(e.get("id").asText(), e.get("description").asText()));
                    record(new Op(clientId, Kind.READ, 0, t0, System.nanoTime(), Outcome.OK, null, null, true, seen));
                    return;
                }
            }
            record(new Op(clientId, Kind.READ, 0, t0, System.nanoTime(), Outcome.FAIL, null, null, true, null));
        }

        private boolean within(long t0, long budget) {
            long now = System.nanoTime();
            return now - t0 < budget && (!stopping() || now - stopAt < STOP_GRACE_NANOS);
        }

        /**
         * One attempt at whoever this session thinks leads; returns the reply if it is the
         * answer to the request, else null after updating the idea of the leader.
         */
        private ControllerMessage ask(ControllerMessage request) {
            NodeAddress target = leader != null ? cluster.node(leader).orElseThrow()
                    : cluster.nodes().get(next++ % cluster.nodes().size());
            Answer a = rpc.ask(target, request);
            if (!a.answered()) {
                leader = null; // down, paused or cut off: try the next node
                return null;
            }
            ControllerMessage r = a.reply();
            if ("LEADER_INFO".equals(r.request())) {
                String named = r.valueText();
                leader = named != null && cluster.contains(named) && !named.equals(target.name()) ? named : null;
                if (named == null) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // an election is under way
                }
                return null;
            }
            if ("ERROR".equals(r.request()) && REFUSALS.contains(r.keyText())) {
                return r; // refused at once, nothing done: a definite answer
            }
            if ("ERROR".equals(r.request())) {
                leader = null; // NOT_COMMITTED, NOT_CONFIRMED, TRANSFERRING: outcome unknown, ask again
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                return null;
            }
            leader = target.name();
            return r;
        }
    }
}

package dev.raftledger.raftctl;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Stand-ins for raftd's controller ports: one UDP socket per node on 127.0.0.21, .22, ... (all
 * loopback), all on the same free port, answering with canned replies. Tests need no real node
 * and never touch the ports a real cluster uses.
 */
public final class FakeCluster implements AutoCloseable {

    /** Short, so that tests with silent nodes stay quick; loopback replies take microseconds. */
    public static final int TIMEOUT_MS = 200;

    private final Map<String, FakeNode> nodes;
    private final int port;
    private final FakeLog log;

    private FakeCluster(Map<String, FakeNode> nodes, int port, FakeLog log) {
        this.nodes = nodes;
        this.port = port;
        this.log = log;
    }

    /** Node1..NodeN on 127.0.0.21.. (N at most 5), each a follower of nobody in term 1. */
    public static FakeCluster start(int size) throws IOException {
        BindException last = null;
        // the port is free on the first address; another process may hold it on the others
        for (int attempt = 0; attempt < 20; attempt++) {
            List<DatagramSocket> sockets = new ArrayList<>();
            try {
                sockets.add(new DatagramSocket(new InetSocketAddress(host(1), 0)));
                int port = sockets.get(0).getLocalPort();
                for (int i = 2; i <= size; i++) {
                    sockets.add(new DatagramSocket(new InetSocketAddress(host(i), port)));
                }
                Map<String, FakeNode> nodes = new LinkedHashMap<>();
                FakeLog log = new FakeLog();
                for (int i = 1; i <= size; i++) {
                    String name = "Node" + i;
                    nodes.put(name, new FakeNode(name, host(i), sockets.get(i - 1), log));
                    log.members.add(name, host(i), "voter");
                }
                nodes.values().forEach(FakeNode::start);
                return new FakeCluster(nodes, port, log);
            } catch (BindException e) {
                sockets.forEach(DatagramSocket::close);
                last = e;
            }
        }
        throw last;
    }

    public static String host(int index) {
        return "127.0.0." + (20 + index);
    }

    public FakeNode node(String name) {
        FakeNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no fake " + name);
        }
        return node;
    }

    public List<FakeNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The log and ledger all fake nodes share. */
    public FakeLog log() {
        return log;
    }

    /** Every request named {@code request} that any node received, in node order. */
    public List<dev.raftledger.common.wire.ControllerMessage> received(String request) {
        List<dev.raftledger.common.wire.ControllerMessage> all = new ArrayList<>();
        for (FakeNode n : nodes.values()) {
            n.received().stream().filter(m -> m.request().equals(request)).forEach(all::add);
        }
        return all;
    }

    private long seedSeq;

    /**
     * Puts an expense straight into the shared ledger (as another client's write) and returns
     * its id; for tests that need expenses to list.
     */
    public synchronized String seed(String date, String amount, String currency, String category, String payer,
                              String description) {
        return seedBy(null, date, amount, currency, category, payer, description);
    }

    /**
     * {@link #seed}, the entry stamped as a keyed leader stamps it: written by the identity
     * {@code writer} (null: not recorded, as {@link #seed}).
     */
    public synchronized String seedBy(String writer, String date, String amount, String currency, String category,
                                String payer, String description) {
        com.fasterxml.jackson.databind.node.ObjectNode c = dev.raftledger.common.wire.Codec.objectNode();
        c.put("op", "add");
        c.put("client_id", "seed");
        c.put("seq", ++seedSeq);
        c.put("amount", amount);
        c.put("currency", currency);
        c.put("category", category);
        c.put("description", description);
        c.put("payer", payer);
        c.put("date", date);
        dev.raftledger.common.ledger.LedgerCodec.stamped(c, dev.raftledger.common.ledger.Ledger.Stamp.NONE.by(writer));
        FakeLog.Applied a = log.appendCommand(1, c);
        if (!a.result().ok()) {
            throw new IllegalArgumentException("seed refused: " + a.result());
        }
        return a.result().id();
    }

    /** Whether no node received anything at all. */
    public boolean nothingReceived() {
        return nodes.values().stream().allMatch(n -> n.received().isEmpty());
    }

    public int port() {
        return port;
    }

    /** The cluster in --cluster syntax. */
    public String spec() {
        StringJoiner j = new StringJoiner(",");
        nodes.values().forEach(n -> j.add(n.name() + "=" + n.host()));
        return j.toString();
    }

    /** Every node names {@code leader} in {@code term}; the leader itself is in state leader. */
    public void electLeader(String leader, long term) {
        for (FakeNode n : nodes.values()) {
            n.term(term).leader(leader).state(n.name().equals(leader) ? "leader" : "follower");
        }
    }

    /** The global options that point raftctl at these fakes, followed by {@code command}. */
    public String[] args(String... command) {
        List<String> args = new ArrayList<>(List.of("--cluster", spec(), "--controller-port", Integer.toString(port),
                "--timeout-ms", Integer.toString(TIMEOUT_MS)));
        args.addAll(List.of(command));
        return args.toArray(new String[0]);
    }

    @Override
    public void close() {
        nodes.values().forEach(FakeNode::close);
    }
}

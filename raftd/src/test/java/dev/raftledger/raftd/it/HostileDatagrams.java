package dev.raftledger.raftd.it;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.driver.net.PortRole;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The hostile datagrams of common's {@code HostileJsonGenerator}, and what a node must make of
 * each. The generator is a test class of the common module, which publishes no test jar; it
 * uses only public API, so it is loaded here from common's compiled test classes
 * ({@code common/target/test-classes}, which {@code mvn verify} or {@code mvn install -DskipTests}
 * builds before raftd's integration tests run) by a class loader of its own.
 */
final class HostileDatagrams {

    private static final String GENERATOR = "dev.raftledger.common.wire.HostileJsonGenerator";

    private HostileDatagrams() {}

    /** A generator: {@code get()} is the next datagram, {@link #lastKind} what was done to it. */
    static Supplier<byte[]> generator(long seed, List<String> members, List<String> strangers) {
        try {
            Class<?> c = generatorClass();
            Object g = c.getConstructor(long.class, List.class, List.class, boolean.class)
                    .newInstance(seed, members, strangers, false);
            @SuppressWarnings("unchecked")
            Supplier<byte[]> supplier = (Supplier<byte[]>) g;
            return supplier;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + GENERATOR + ": " + e, e);
        }
    }

    /** The kind of attack of the generator's last datagram (TRUNCATED, STRANGER, ...). */
    static String lastKind(Supplier<byte[]> generator) {
        try {
            Method m = generator.getClass().getMethod("lastKind");
            return (String) m.invoke(generator);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generator's default strangers: lookalikes of member names, overlong, empty, odd characters. */
    @SuppressWarnings("unchecked")
    static List<String> defaultStrangers() {
        try {
            return (List<String>) generatorClass().getField("DEFAULT_STRANGERS").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> loaded;

    private static synchronized Class<?> generatorClass() throws ClassNotFoundException {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private static Class<?> load() throws ClassNotFoundException {
        Path classes = testClassesOfCommon();
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    HostileDatagrams.class.getClassLoader());
            return Class.forName(GENERATOR, true, loader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** common/target/test-classes, found from the working directory (or -Dhostile.generator.classes). */
    private static Path testClassesOfCommon() {
        String configured = System.getProperty("hostile.generator.classes");
        if (configured != null) {
            return Path.of(configured);
        }
        String file = GENERATOR.replace('.', '/') + ".class";
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("common/target/test-classes"),
                    dir.resolve("../common/target/test-classes"))) {
                if (Files.exists(candidate.resolve(file))) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("common's test classes not found (common/target/test-classes/" + file
                + "): build them first, e.g. 'mvn -DskipTests install'");
    }

    /** What a node does with a datagram on one of its ports. */
    enum Verdict {
        /** Dropped and counted as malformed (on the controller port also answered MALFORMED, rate-limited). */
        MALFORMED,
        /** A well-formed peer message naming a non-member, or not addressed to this node: dropped, counted. */
        UNKNOWN_SENDER,
        /**
         * A peer message in a member's name that would be acted on, sent from an address that is
         * not that member's: dropped, counted as {@code unexpected_sources} (issue 10).
         */
        UNEXPECTED_SOURCE,
        /** A controller request that is answered but changes nothing: a query, an invalid write. */
        HARMLESS_REQUEST,
        /**
         * Would be acted on: a peer message in members' names (there is no authentication
         * without a cluster key), or a controller request that changes a node (TIMEOUT,
         * CONVERT_FOLLOWER, SHUTDOWN, a valid EXPENSE). Not sent where state must not move. STOREs
         * are left out too, even those without key or value: the leader answers those
         * ERROR/MALFORMED, which must not be mistaken for the rate-limited replies to malformed datagrams.
         */
        ACTED_ON
    }

    /** Requests a node acts on whatever else the datagram holds. */
    private static final Set<String> CHANGES_A_NODE = Set.of("TIMEOUT", "CONVERT_FOLLOWER", "SHUTDOWN", "STORE");

    /**
     * What {@code node} of {@code cluster} does with {@code datagram} arriving on its {@code port}:
     * the listener's own rules (docs/protocol.md, "Input rules"), computed with the same codec.
     */
    static Verdict verdict(byte[] datagram, PortRole port, String node, ClusterSpec cluster) {
        if (port == PortRole.CONTROLLER) {
            ControllerMessage m;
            try {
                m = Codec.decodeController(datagram, 0, datagram.length);
            } catch (MalformedMessageException e) {
                return Verdict.MALFORMED;
            }
            if (ControllerRequest.fromWire(m.request()).filter(r -> r != ControllerRequest.ERROR).isEmpty()) {
                return Verdict.MALFORMED; // an unknown request is bad input like any other
            }
            if (CHANGES_A_NODE.contains(m.request())) {
                return Verdict.ACTED_ON;
            }
            if (m.request().equals("EXPENSE")) {
                try {
                    LedgerCodec.commandFromJson(m.value());
                    return Verdict.ACTED_ON;
                } catch (LedgerException invalid) {
                    return Verdict.HARMLESS_REQUEST;
                }
            }
            return Verdict.HARMLESS_REQUEST;
        }
        PeerMessage m;
        try {
            m = Codec.decodePeer(datagram, 0, datagram.length);
        } catch (MalformedMessageException e) {
            return Verdict.MALFORMED;
        }
        if (PortRole.of(m) != port) {
            return Verdict.MALFORMED;
        }
        return stranger(m, node, cluster) ? Verdict.UNKNOWN_SENDER : Verdict.ACTED_ON;
    }

    /** A name in the message that is not a member's, or a message not meant for {@code self}. */
    private static boolean stranger(PeerMessage m, String self, ClusterSpec cluster) {
        if (!cluster.contains(m.sender()) || m.sender().equals(self)) {
            return true;
        }
        if (m instanceof RequestVote rv) {
            return !cluster.contains(rv.candidateId());
        }
        if (m instanceof AppendEntry ae) {
            return !ae.leaderId().equals(ae.sender()); // a leader speaks for itself only
        }
        if (m instanceof VoteAck ack) {
            return !self.equals(ack.to());
        }
        if (m instanceof AppendReply reply) {
            return !self.equals(reply.to());
        }
        if (m instanceof TimeoutNow t) {
            return !self.equals(t.to());
        }
        if (m instanceof SnapshotAck a) {
            return !self.equals(a.to());
        }
        return false;
    }

    /**
     * Datagrams the kernel dropped because these sockets' receive queues were full (the
     * {@code drops} column of /proc/net/udp), summed over {@code host}'s {@code ports}; empty
     * where the kernel does not say (not Linux).
     */
    static OptionalLong kernelDrops(String host, Set<Integer> ports) {
        Path table = Path.of("/proc/net/udp");
        if (!Files.isReadable(table)) {
            return OptionalLong.empty();
        }
        try {
            long drops = 0;
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                String h = local[0];
                String address = Integer.parseInt(h.substring(6, 8), 16) + "." + Integer.parseInt(h.substring(4, 6), 16)
                        + "." + Integer.parseInt(h.substring(2, 4), 16) + "." + Integer.parseInt(h.substring(0, 2), 16);
                int port = Integer.parseInt(local[1], 16);
                if (address.equals(host) && ports.contains(port)) {
                    drops += Long.parseLong(f[f.length - 1]);
                }
            }
            return OptionalLong.of(drops);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

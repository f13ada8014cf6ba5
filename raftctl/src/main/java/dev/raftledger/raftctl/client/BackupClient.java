package dev.raftledger.raftctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.backup.BackupFile;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.common.wire.Refusal;
import dev.raftledger.common.wire.ReplyKey;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code raftctl backup save}: asks a node for a backup (BACKUP, docs/protocol.md), pulls the
 * snapshot's file in chunks, several at a time, into {@code FILE.part}, fsyncs it, checks it
 * whole ({@link BackupFile#read}: checksums and a full decode) and only then renames it to
 * {@code FILE}. A chunk not answered within the reply timeout is asked for again; the backup
 * fails if the node stops answering for {@code wait} or refuses.
 *
 * <p>One thread (the caller's); the progress callback runs on it.
 */
public final class BackupClient {

    /** Bytes asked for ahead of what has arrived (as a leader's snapshot window to a follower). */
    static final int WINDOW_BYTES = 256 * 1024;
    /** The most chunk requests out at once, whatever their size. */
    static final int MAX_OUTSTANDING = 64;

    /** Why a backup did not complete; {@code FILE} was not written (a {@code FILE.part} may be left). */
    public static final class Failure extends Exception {
        public Failure(String message) {
            super(message);
        }
    }

    /** Told of the bytes received so far, at most every {@link #PROGRESS_EVERY_MS}. */
    public interface Progress {
        void update(long bytes, long total, long elapsedMs);
    }

    static final long PROGRESS_EVERY_MS = 200;

    /**
     * A backup made and checked.
     *
     * @param millis how long it took, from the request to the rename
     */
    public record Saved(Path file, String node, BackupFile.Contents contents, long millis) {}

    private final ClusterAuth auth;
    private final ControllerClient starter;
    private final Duration replyTimeout;

    /**
     * @param starter      asks the node to begin (its reply comes once the snapshot is saved: give it the wait)
     * @param replyTimeout how long a chunk's reply is waited for before it is asked for again
     */
    public BackupClient(ClusterAuth auth, ControllerClient starter, Duration replyTimeout) {
        this.auth = auth;
        this.starter = starter;
        this.replyTimeout = replyTimeout;
    }

    public Saved save(NodeAddress node, Path file, Duration wait, Progress progress) throws Failure {
        long started = System.nanoTime();
        Answer answer = starter.ask(node, ControllerMessage.request(ControllerRequest.BACKUP.name()));
        String problem = Replies.problem(answer, ControllerRequest.BACKUP);
        if (problem == null && !ReplyKey.BACKUP.of(answer.reply())) {
            problem = "answered BACKUP with '" + answer.reply().keyText() + "'";
        }
        if (problem != null) {
            throw new Failure(node.name() + " " + problem);
        }
        JsonNode v = answer.reply().value();
        long index = v.path("index").asLong();
        long term = v.path("term").asLong();
        long size = v.path("size").asLong();
        int chunk = v.path("chunk").asInt();
        if (size <= 0 || chunk <= 0) {
            throw new Failure(node.name() + " described its backup without a size or chunk size: " + v);
        }
        BackupFile.Description d = new BackupFile.Description(v.path("cluster_id").isTextual()
                ? v.path("cluster_id").asText() : null, node.name(), System.currentTimeMillis(),
                v.path("version").asText(null));
        byte[] prefix = BackupFile.prefix(d);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAt(out, ByteBuffer.wrap(prefix), 0);
            pull(node, index, term, size, chunk, out, prefix.length, wait, progress, started);
            out.force(true);
        } catch (IOException e) {
            throw new Failure("cannot write " + part + ": " + e.getMessage());
        }
        BackupFile.Contents contents;
        try {
            contents = BackupFile.read(part);
        } catch (BackupFile.DamagedException e) {
            throw new Failure("the copy in " + part + " does not check out: " + e.getMessage());
        } catch (IOException e) {
            throw new Failure("cannot read back " + part + ": " + e.getMessage());
        }
        if (contents.header().index() != index || contents.header().term() != term
                || contents.header().payloadCrc() != v.path("crc").asLong()) {
            throw new Failure("the copy in " + part + " holds index " + contents.header().index() + " (term "
                    + contents.header().term() + "), not the snapshot " + node.name() + " described");
        }
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            Path dir = file.toAbsolutePath().getParent();
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new Failure("cannot rename " + part + " to " + file + ": " + e.getMessage());
        }
        return new Saved(file, node.name(), contents, (System.nanoTime() - started) / 1_000_000);
    }

    /** The chunks of the file [0, size) written at {@code base} + offset, pipelined. */
    private void pull(NodeAddress node, long index, long term, long size, int chunk, FileChannel out, long base,
                      Duration wait, Progress progress, long started) throws Failure, IOException {
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(node.host()), node.ports().controller());
        } catch (IOException e) {
            throw new Failure("cannot resolve " + node.host() + ": " + e.getMessage());
        }
        int window = (int) Math.max(1, Math.min(MAX_OUTSTANDING, WINDOW_BYTES / chunk));
        long resendNanos = replyTimeout.toNanos();
        Map<Long, Long> outstanding = new HashMap<>(); // offset -> when last asked
        ArrayDeque<Long> toAsk = new ArrayDeque<>();
        long next = 0;
        long received = 0;
        long lastHeard = System.nanoTime();
        long lastProgress = 0;
        byte[] buf = new byte[65536];
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setReceiveBufferSize(4 << 20);
            while (received < size) {
                long now = System.nanoTime();
                while (outstanding.size() < window && (!toAsk.isEmpty() || next < size)) {
                    long offset;
                    if (!toAsk.isEmpty()) {
                        offset = toAsk.poll();
                    } else {
                        offset = next;
                        next += chunk;
                    }
                    ask(socket, target, node.name(), index, term, offset);
                    outstanding.put(offset, now);
                }
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                socket.setSoTimeout((int) Math.max(1, Math.min(resendNanos / 1_000_000, 100)));
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    packet = null;
                }
                now = System.nanoTime();
                if (packet != null && packet.getSocketAddress().equals(target)) {
                    ControllerMessage reply = open(packet);
                    if (reply != null) {
                        Refusal refused = Refusal.from(reply).orElse(null);
                        if (refused != null) {
                            throw new Failure(node.name() + " refused the backup: " + refused.describe());
                        }
                        if (ReplyKey.CHUNK.of(reply) && reply.value() != null
                                && reply.value().path("index").asLong() == index
                                && reply.value().path("term").asLong() == term) {
                            long offset = reply.value().path("offset").asLong();
                            if (outstanding.remove(offset) != null) {
                                byte[] data = Base64.getDecoder().decode(reply.value().path("data").asText(""));
                                long expected = Math.min(chunk, size - offset);
                                if (data.length == 0 || data.length > expected) {
                                    throw new Failure(node.name() + " sent " + data.length + " bytes at offset " + offset
                                            + ", where " + expected + " were due");
                                }
                                writeAt(out, ByteBuffer.wrap(data), base + offset);
                                received += data.length;
                                if (data.length < expected) {
                                    toAsk.add(offset + data.length); // a shorter chunk: the rest of it next
                                }
                                lastHeard = now;
                            }
                        }
                    }
                }
                if (now - lastHeard > wait.toNanos()) {
                    throw new Failure(node.name() + " stopped answering: " + received + " of " + size
                            + " bytes received, nothing for " + wait.toMillis() + " ms");
                }
                for (Map.Entry<Long, Long> e : outstanding.entrySet()) {
                    if (now - e.getValue() >= resendNanos) {
                        ask(socket, target, node.name(), index, term, e.getKey()); // lost on the way, or its reply was
                        e.setValue(now);
                    }
                }
                if (progress != null && (now / 1_000_000 - lastProgress >= PROGRESS_EVERY_MS || received == size)) {
                    lastProgress = now / 1_000_000;
                    progress.update(received, size, (now - started) / 1_000_000);
                }
            }
        }
    }

    private void ask(DatagramSocket socket, InetSocketAddress target, String to, long index, long term, long offset)
            throws IOException {
        ObjectNode value = Codec.objectNode();
        value.put("index", index);
        value.put("term", term);
        value.put("offset", offset);
        ControllerMessage m = new ControllerMessage(ControllerMessage.CONTROLLER, ControllerRequest.BACKUP.name(), null,
                null, value);
        byte[] payload = auth.seal(Codec.encode(m), to); // for that node alone
        socket.send(new DatagramPacket(payload, payload.length, target));
    }

    private ControllerMessage open(DatagramPacket packet) {
        try {
            byte[] reply = auth.open(packet.getData(), packet.getOffset(), packet.getLength()).message();
            return Codec.decodeController(reply, 0, reply.length);
        } catch (AuthException | MalformedMessageException e) {
            return null; // not a reply of the node's: asked again when its time is up
        }
    }

    private static void writeAt(FileChannel out, ByteBuffer data, long at) throws IOException {
        long position = at;
        while (data.hasRemaining()) {
            position += out.write(data, position);
        }
    }
}

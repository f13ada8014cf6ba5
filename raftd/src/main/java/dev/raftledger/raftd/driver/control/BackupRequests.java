package dev.raftledger.raftd.driver.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.BuildInfo;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.common.wire.ControllerRequest;
import dev.raftledger.common.wire.ReplyKey;
import dev.raftledger.raftd.driver.LoopEvent;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotReader;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BACKUP (docs/protocol.md): a client pulls a consistent copy of the replicated state. Without
 * an offset, the node saves a snapshot (as for SNAPSHOT; at once if the newest covers every
 * applied entry) and answers, once it is durable, with what it is; then the client asks for the
 * snapshot's file in chunks, {@code {"index", "term", "offset"}}, as many at a time as it likes,
 * and each is answered from the file with as many bytes as fit the reply's datagram. The file is
 * read with positional reads of at most a datagram's worth, so the event loop never waits on
 * more than that. Readers stay open for the last {@link #OPEN_READERS} snapshots backed up
 * (an open file stays readable after retention deletes it), so a backup is not cut short by
 * newer snapshots; one asked for after that is refused SNAPSHOT_GONE.
 *
 * <p>Event loop only.
 */
public final class BackupRequests {

    /** Snapshots kept open for backups under way; the oldest is closed when another begins. */
    static final int OPEN_READERS = 4;
    private static final long WIDEST = (1L << 53) - 1;

    /** Opens a reader of a stored snapshot. */
    public interface ReaderSource {
        SnapshotReader open(SnapshotMeta meta) throws StoreException;
    }

    private final Replies replies;
    private final ControllerHandler.SnapshotTrigger trigger;
    private final ControllerHandler.LaterReplies later;
    private final ReaderSource readers;
    private final String node;
    private final String clusterId;
    private final Map<String, SnapshotReader> open = new LinkedHashMap<>();

    public BackupRequests(Replies replies, ControllerHandler.SnapshotTrigger trigger, ControllerHandler.LaterReplies later,
                          ReaderSource readers, String node, String clusterId) {
        this.replies = replies;
        this.trigger = trigger;
        this.later = later;
        this.readers = readers;
        this.node = node;
        this.clusterId = clusterId;
    }

    ControllerHandler.Result handle(ControllerMessage request, InetSocketAddress replyTo, long now) {
        JsonNode v = request.value();
        if (v == null || (v.isObject() && !v.has("offset"))) {
            trigger.force(now, saved -> later.send(replyTo, started(saved, replyTo)));
            return ControllerHandler.answer(null);
        }
        if (!v.isObject() || !v.path("index").canConvertToExactIntegral() || !v.path("term").canConvertToExactIntegral()
                || !v.path("offset").canConvertToExactIntegral()) {
            return ControllerHandler.answer(replies.error(ControllerError.MALFORMED,
                    "BACKUP takes no value (to begin) or {\"index\": N, \"term\": N, \"offset\": N}"));
        }
        return ControllerHandler.answer(chunk(v.path("index").asLong(), v.path("term").asLong(), v.path("offset").asLong(),
                replyTo));
    }

    /** The answer once the backup's snapshot is durable: what it is, and how much each chunk will hold. */
    ControllerMessage started(LoopEvent.SnapshotSaved saved, InetSocketAddress replyTo) {
        if (saved.meta() == null) {
            return replies.error(ControllerError.SNAPSHOT_FAILED, "the snapshot could not be saved: " + saved.error());
        }
        SnapshotMeta meta = saved.meta();
        SnapshotReader reader;
        try {
            reader = reader(meta);
        } catch (StoreException e) {
            return replies.error(ControllerError.SNAPSHOT_FAILED, "the snapshot could not be opened: " + e.getMessage());
        }
        ObjectNode value = Codec.objectNode();
        value.put("index", meta.lastIncludedIndex());
        value.put("term", meta.lastIncludedTerm());
        value.put("size", reader.fileSize());
        value.put("payload_size", meta.payloadSize());
        value.put("crc", meta.payloadCrc());
        value.put("node", node);
        value.put("cluster_id", clusterId);
        value.put("version", BuildInfo.version());
        value.put("chunk", chunkBytes(replyTo));
        return replies.reply(ControllerRequest.BACKUP, ReplyKey.BACKUP, value);
    }

    private ControllerMessage chunk(long index, long term, long offset, InetSocketAddress replyTo) {
        SnapshotReader reader = open.get(key(index, term));
        if (reader == null) {
            return replies.error(ControllerError.SNAPSHOT_GONE, "the snapshot through index " + index + " (term " + term
                    + ") is not being served (" + OPEN_READERS + " newer backups began, or this node restarted)");
        }
        if (offset < 0 || offset > reader.fileSize()) {
            return replies.error(ControllerError.INVALID, "offset " + offset + " is outside the snapshot's "
                    + reader.fileSize() + " bytes");
        }
        byte[] data;
        try {
            data = offset == reader.fileSize() ? new byte[0] : reader.readFile(offset, chunkBytes(replyTo));
        } catch (StoreException e) {
            close(key(index, term));
            return replies.error(ControllerError.SNAPSHOT_GONE, "the snapshot can no longer be read: " + e.getMessage());
        }
        ObjectNode value = Codec.objectNode();
        value.put("index", index);
        value.put("term", term);
        value.put("offset", offset);
        value.put("data", Base64.getEncoder().encodeToString(data));
        return replies.reply(ControllerRequest.BACKUP, ReplyKey.CHUNK, value);
    }

    /** File bytes per chunk for a client at {@code to}: what the reply leaves for base64 (3 bytes in 4). */
    int chunkBytes(InetSocketAddress to) {
        ObjectNode widest = Codec.objectNode();
        widest.put("index", WIDEST);
        widest.put("term", WIDEST);
        widest.put("offset", WIDEST);
        widest.put("data", "");
        int room = replies.listRoom(to, replies.reply(ControllerRequest.BACKUP, ReplyKey.CHUNK, widest));
        return Math.max(48, room / 4 * 3);
    }

    private SnapshotReader reader(SnapshotMeta meta) throws StoreException {
        String key = key(meta.lastIncludedIndex(), meta.lastIncludedTerm());
        SnapshotReader r = open.remove(key);
        if (r == null) {
            r = readers.open(meta);
        }
        open.put(key, r); // newest last
        Iterator<Map.Entry<String, SnapshotReader>> it = open.entrySet().iterator();
        while (open.size() > OPEN_READERS && it.hasNext()) {
            Map.Entry<String, SnapshotReader> oldest = it.next();
            closeQuietly(oldest.getValue());
            it.remove();
        }
        return r;
    }

    private void close(String key) {
        SnapshotReader r = open.remove(key);
        if (r != null) {
            closeQuietly(r);
        }
    }

    /** Closes every reader (the node stops). */
    public void closeAll() {
        open.values().forEach(BackupRequests::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(SnapshotReader r) {
        try {
            r.close();
        } catch (StoreException ignored) {
            // a reader only reads: nothing is lost if closing it fails
        }
    }

    private static String key(long index, long term) {
        return index + "/" + term;
    }
}

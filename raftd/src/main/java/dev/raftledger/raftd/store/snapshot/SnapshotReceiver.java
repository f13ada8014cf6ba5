package dev.raftledger.raftd.store.snapshot;

import dev.raftledger.raftd.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Receives a snapshot from the leader in chunks, in order, into a temp file of the store's
 * directory, and installs it like {@link SnapshotStore#save} once the last chunk arrives with
 * the right size and checksum. At most one transfer at a time: a chunk of another snapshot
 * (any field of its {@link SnapshotMeta} differs) at offset 0 discards the current transfer and
 * starts the new one; at any other offset it is refused and the current transfer is kept (a
 * late datagram of an older transfer cannot spoil a newer one). Chunks of a snapshot already
 * installed by this receiver are answered INSTALLED again, so a duplicated last chunk does not
 * make the leader start over.
 *
 * <p>Used by one thread (the event loop). What it holds on disk is a temp file, deleted on
 * {@link #abort}, {@link #close}, failure, or by {@link SnapshotStore#open} after a crash.
 */
public final class SnapshotReceiver implements AutoCloseable {

    private final SnapshotStore store;
    private Transfer current;
    private SnapshotMeta lastInstalled;

    SnapshotReceiver(SnapshotStore store) {
        this.store = store;
    }

    private static final class Transfer {
        final SnapshotMeta meta;
        final Path temp;
        final FileChannel channel;
        final long payloadStart;
        final CRC32C crc = new CRC32C();
        long received;

        Transfer(SnapshotMeta meta, Path temp, FileChannel channel) {
            this.meta = meta;
            this.temp = temp;
            this.channel = channel;
            this.payloadStart = SnapshotFormat.headerBytes(meta.configuration());
        }
    }

    /**
     * Takes the chunk of {@code meta}'s payload at {@code offset}; {@code done} marks the last.
     *
     * @throws StoreException if writing or installing fails; the transfer is discarded and
     *                        nothing is installed, so the node may choose to go on
     */
    public ChunkResult accept(SnapshotMeta meta, long offset, byte[] data, boolean done) throws StoreException {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(data, "data");
        if (current == null || !current.meta.equals(meta)) {
            if (meta.equals(lastInstalled)) { // a duplicate or late chunk of it; a transfer under way is left alone
                return ChunkResult.installed(meta);
            }
            if (offset != 0) {
                return ChunkResult.wrongOffset(0, "no transfer of the " + meta.describe()
                        + " is under way; it starts at offset 0, not " + offset);
            }
            abort();
            current = start(meta);
        }
        Transfer t = current;
        if (offset != t.received) {
            return ChunkResult.wrongOffset(t.received, "expected the chunk at offset " + t.received + ", got one at " + offset);
        }
        if (t.received + data.length > meta.payloadSize()) {
            abort();
            return ChunkResult.failed("the chunk at " + offset + " of " + data.length + " bytes goes beyond the payload's "
                    + meta.payloadSize() + " bytes");
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            long at = t.payloadStart + offset;
            while (buf.hasRemaining()) {
                at += t.channel.write(buf, at);
            }
        } catch (IOException e) {
            abort();
            throw new StoreException("cannot write a chunk of the " + meta.describe() + " to " + t.temp + ": " + e, e);
        }
        t.crc.update(data);
        t.received += data.length;
        if (!done) {
            return ChunkResult.accepted(t.received);
        }
        return finish(t);
    }

    private Transfer start(SnapshotMeta meta) throws StoreException {
        Path temp = store.createTemp(meta.lastIncludedIndex(), meta.lastIncludedTerm());
        FileChannel channel = null;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            SnapshotFormat.writeHeader(channel, meta);
            return new Transfer(meta, temp, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            SnapshotStore.deleteQuietly(temp);
            throw new StoreException("cannot start receiving the " + meta.describe() + " into " + temp + ": " + e, e);
        }
    }

    private ChunkResult finish(Transfer t) throws StoreException {
        if (t.received != t.meta.payloadSize()) {
            abort();
            return ChunkResult.failed("the last chunk ended the payload at " + t.received + " bytes; the snapshot has "
                    + t.meta.payloadSize());
        }
        if (t.crc.getValue() != t.meta.payloadCrc()) {
            abort();
            return ChunkResult.failed(String.format("the payload's checksum is %08x, the snapshot's is %08x",
                    t.crc.getValue(), t.meta.payloadCrc()));
        }
        current = null;
        try {
            t.channel.force(true);
            t.channel.close();
        } catch (IOException e) {
            closeQuietly(t.channel);
            SnapshotStore.deleteQuietly(t.temp);
            throw new StoreException("cannot fsync the received " + t.meta.describe() + " in " + t.temp + ": " + e, e);
        }
        store.install(t.temp, t.meta);
        lastInstalled = t.meta;
        return ChunkResult.installed(t.meta);
    }

    /** The snapshot being received, or null. */
    public SnapshotMeta inProgress() {
        return current == null ? null : current.meta;
    }

    /** Payload bytes held of the transfer under way (0 if none). */
    public long received() {
        return current == null ? 0 : current.received;
    }

    /** Discards the transfer under way, if any, and its temp file (e.g. when the node stops being a follower). */
    public void abort() {
        Transfer t = current;
        current = null;
        if (t != null) {
            closeQuietly(t.channel);
            SnapshotStore.deleteQuietly(t.temp);
        }
    }

    @Override
    public void close() {
        abort();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the transfer is being discarded; its file is deleted next
            }
        }
    }
}

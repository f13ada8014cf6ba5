package dev.raftledger.raftd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.raftd.core.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps {@code currentTerm} and {@code votedFor} in {@code hardstate.json} of the data dir.
 * The file also names its node, so a data dir cannot be started under another node's name.
 *
 * <p>Durability: the file is one JSON object padded with spaces to {@link #RECORD} (512) bytes,
 * one disk sector. A save rewrites that sector in place and {@code fdatasync}s it: the file's
 * size never changes, so one sync of the data is enough (3.8 ms p50 on the benchmark machine's
 * disk, against 8.8 ms for the write, fsync, rename and directory fsync it replaces; a vote is
 * two such saves in a row, the candidate's and the voter's). This relies on a one-sector write
 * being atomic, as PostgreSQL does for its 512-byte {@code pg_control}: after a crash the sector
 * holds either the old state or the new one. A file of any other size (none yet, or written by
 * 0.1.0 without padding) is replaced the slow way, write, fsync, rename and directory fsync, and
 * is in place from then on. The padding is JSON whitespace, so 0.1.0 reads the file as it is
 * (a node returned to 0.1.0 while a cluster is mixed keeps its vote). A damaged file refuses the
 * start with the reason, never reads as a fresh state.
 *
 * <p>Threads: the event loop's (saves) and the starting thread's ({@link #open}). Errors: any
 * failure to write or sync is a {@link StoreException}, and the node stops, so that no vote is
 * forgotten.
 */
public final class HardStateStore implements HardStateSink {

    static final String FILE = "hardstate.json";
    /** The file's size once written by this release: one sector. */
    static final int RECORD = 512;
    private static final String TEMP = FILE + ".tmp";

    private final DataDir dir;
    private final String node;
    private HardState saved;
    /** This start's incarnation (see {@link #open}). */
    private long incarnation;

    private HardStateStore(DataDir dir, String node, HardState saved, long incarnation) {
        this.dir = dir;
        this.node = node;
        this.saved = saved;
        this.incarnation = incarnation;
    }

    /**
     * Reads the saved state ({@link HardState#INITIAL} for a fresh data dir) and durably records
     * this start's incarnation, which must grow with every start of the node (see RaftCore: a
     * leader tells a restarted follower's replies from its old process's by it). It is the later
     * of the last one plus one and the wall clock in milliseconds: it grows while the data dir
     * survives even if the clock steps back, and still grows when the data dir is wiped (the
     * clock has moved on since the old process started).
     */
    public static HardStateStore open(DataDir dir, String node) throws StoreException {
        return open(dir, node, System::currentTimeMillis);
    }

    static HardStateStore open(DataDir dir, String node, java.util.function.LongSupplier clock) throws StoreException {
        HardStateStore store = read(dir, node);
        try {
            Files.deleteIfExists(dir.path().resolve(TEMP)); // a crash's leftover: saves in place never make one
        } catch (IOException e) {
            throw new StoreException("cannot remove " + dir.path().resolve(TEMP) + ": " + e, e);
        }
        store.incarnation = Math.max(store.incarnation + 1, clock.getAsLong());
        store.write(store.saved);
        return store;
    }

    private static HardStateStore read(DataDir dir, String node) throws StoreException {
        Path file = dir.path().resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HardStateStore(dir, node, HardState.INITIAL, 0);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e, e);
        }
        JsonNode o;
        try {
            o = Codec.readTree(bytes);
        } catch (MalformedMessageException e) {
            throw corrupt(file, e.getMessage());
        }
        if (!o.isObject()) {
            throw corrupt(file, "not a JSON object");
        }
        String owner = o.path("node").asText(null);
        if (!node.equals(owner)) {
            throw new StoreException(file + " belongs to node " + owner + ", not " + node
                    + ": refusing to start with another node's data dir");
        }
        JsonNode term = o.get("term");
        if (term == null || !term.isIntegralNumber() || !term.canConvertToLong() || term.longValue() < 0) {
            throw corrupt(file, "no valid term");
        }
        JsonNode vote = o.get("voted_for");
        if (vote != null && !vote.isNull() && !(vote.isTextual() && !vote.textValue().isEmpty())) {
            throw corrupt(file, "invalid voted_for " + vote);
        }
        String votedFor = vote == null || vote.isNull() ? null : vote.textValue();
        JsonNode inc = o.get("incarnation");
        if (inc != null && (!inc.isIntegralNumber() || !inc.canConvertToLong() || inc.longValue() < 0)) {
            throw corrupt(file, "invalid incarnation " + inc);
        }
        return new HardStateStore(dir, node, new HardState(term.longValue(), votedFor), inc == null ? 0 : inc.longValue());
    }

    private static StoreException corrupt(Path file, String why) {
        return new StoreException(file + " is corrupt (" + why
                + "); refusing to start, since the node could forget a vote it gave");
    }

    public HardState current() {
        return saved;
    }

    /** This start's incarnation: positive, and greater than any earlier start's. */
    public long incarnation() {
        return incarnation;
    }

    /** Durably replaces the saved state; returns only once it is on disk. */
    @Override
    public void save(HardState state) throws StoreException {
        if (state.equals(saved)) {
            return;
        }
        write(state);
    }

    private void write(HardState state) throws StoreException {
        ObjectNode o = Codec.objectNode();
        o.put("node", node);
        o.put("term", state.term());
        o.put("voted_for", state.votedFor());
        o.put("incarnation", incarnation);
        byte[] bytes = padded(Codec.toBytes(o));
        Path file = dir.path().resolve(FILE);
        try {
            if (bytes.length == RECORD && Files.size(file) == RECORD) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf, buf.position());
                    }
                    ch.force(false); // the size is unchanged: the data is all there is to sync
                }
                saved = state;
                return;
            }
        } catch (NoSuchFileException e) {
            // none yet: written whole below
        } catch (IOException e) {
            throw new StoreException("cannot save term and vote to " + file + ": " + e, e);
        }
        replace(bytes);
        saved = state;
    }

    /**
     * {@code json} followed by spaces and a newline, {@link #RECORD} bytes in all; as it is if it
     * does not fit (names of 64 characters far from ASCII: then every save takes the slow way).
     */
    static byte[] padded(byte[] json) {
        if (json.length >= RECORD) {
            return json;
        }
        byte[] out = java.util.Arrays.copyOf(json, RECORD);
        java.util.Arrays.fill(out, json.length, RECORD - 1, (byte) ' ');
        out[RECORD - 1] = '\n';
        return out;
    }

    /** The slow, size-changing way: a temporary file, fsync, rename over the old one, directory fsync. */
    private void replace(byte[] bytes) throws StoreException {
        Path temp = dir.path().resolve(TEMP);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, dir.path().resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            dir.syncDirectory();
        } catch (IOException e) {
            throw new StoreException("cannot save term and vote to " + dir.path() + ": " + e, e);
        }
    }
}

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
 * A save writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
 * directory, so after a crash the file holds either the old state or the new one, never a mix.
 * The file also names its node, so a data dir cannot be started under another node's name.
 */
public final class HardStateStore implements HardStateSink {

    static final String FILE = "hardstate.json";
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
        Path temp = dir.path().resolve(TEMP);
        try {
            byte[] bytes = Codec.toBytes(o);
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
        saved = state;
    }
}

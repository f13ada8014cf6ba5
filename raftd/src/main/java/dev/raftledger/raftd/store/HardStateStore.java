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

    private HardStateStore(DataDir dir, String node, HardState saved) {
        this.dir = dir;
        this.node = node;
        this.saved = saved;
    }

    /** Reads the saved state, or {@link HardState#INITIAL} for a fresh data dir. */
    public static HardStateStore open(DataDir dir, String node) throws StoreException {
        Path file = dir.path().resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HardStateStore(dir, node, HardState.INITIAL);
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
        return new HardStateStore(dir, node, new HardState(term.longValue(), votedFor));
    }

    private static StoreException corrupt(Path file, String why) {
        return new StoreException(file + " is corrupt (" + why
                + "); refusing to start, since the node could forget a vote it gave");
    }

    public HardState current() {
        return saved;
    }

    /** Durably replaces the saved state; returns only once it is on disk. */
    @Override
    public void save(HardState state) throws StoreException {
        if (state.equals(saved)) {
            return;
        }
        ObjectNode o = Codec.objectNode();
        o.put("node", node);
        o.put("term", state.term());
        o.put("voted_for", state.votedFor());
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

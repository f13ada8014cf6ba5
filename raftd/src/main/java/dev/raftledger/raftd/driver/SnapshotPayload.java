package dev.raftledger.raftd.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a snapshot's payload holds: the whole replicated state at its index, as one JSON
 * document {@code {"format": 1, "ledger": {Ledger snapshot}, "stores": [STOREs]}}. The document is
 * built on the event loop (a copy of the state at that instant) and written on the snapshot
 * thread, so the loop only pays for the copy.
 */
final class SnapshotPayload {

    static final int FORMAT = 1;

    private final ObjectNode document;

    private SnapshotPayload(ObjectNode document) {
        this.document = document;
    }

    /** A point-in-time copy of {@code state}: later applies do not change it. */
    static SnapshotPayload capture(ReplicatedState state) {
        ObjectNode doc = Codec.objectNode();
        doc.put("format", FORMAT);
        doc.set("ledger", state.ledger().toSnapshot());
        doc.set("stores", state.stores().all().deepCopy());
        return new SnapshotPayload(doc);
    }

    void writeTo(OutputStream out) throws IOException {
        Codec.writeTree(out, document);
    }

    /** The state a payload holds, validated; anything wrong is an IOException naming it. */
    static ReplicatedState read(InputStream in) throws IOException {
        JsonNode doc;
        try {
            doc = Codec.readTree(in);
        } catch (MalformedMessageException e) {
            throw new IOException("snapshot payload is not JSON: " + e.getMessage(), e);
        }
        if (!doc.isObject() || doc.path("format").asInt(-1) != FORMAT) {
            throw new IOException("snapshot payload of an unknown format (this version reads " + FORMAT + ")");
        }
        try {
            return new ReplicatedState(Ledger.fromSnapshot(doc.get("ledger")), StoreEntries.restore(doc.get("stores")));
        } catch (LedgerException | IllegalArgumentException e) {
            throw new IOException("snapshot payload is not a valid state: " + e.getMessage(), e);
        }
    }
}

package dev.raftledger.raftd.driver.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.raftledger.common.ledger.Ledger;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.driver.ReplicatedState;
import dev.raftledger.raftd.driver.control.StoreEntries;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.snapshot.SnapshotMeta;
import dev.raftledger.raftd.store.snapshot.SnapshotReader;
import dev.raftledger.raftd.store.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a snapshot's payload holds: the whole replicated state at its index, as one JSON
 * document {@code {"format": 1, "ledger": {the ledger's snapshot}, "stores": [STOREs]}}.
 * {@link #capture} runs on the event loop and costs little ({@code Ledger.copy()} shares the
 * ledger's chunks copy-on-write); {@link #writeTo} streams on the snapshot thread, and
 * {@link #read} streams back, so neither builds the document as a tree.
 */
public final class SnapshotPayload {

    static final int FORMAT = 1;

    private final Ledger ledger;
    private final ArrayNode stores;

    private SnapshotPayload(Ledger ledger, ArrayNode stores) {
        this.ledger = ledger;
        this.stores = stores;
    }

    /** A point-in-time copy of {@code state}: later applies do not change it. */
    public static SnapshotPayload capture(ReplicatedState state) {
        // the STOREs' nodes are never changed once committed: a new list of the same nodes is a copy
        return new SnapshotPayload(state.ledger().copy(), state.stores().all());
    }

    public void writeTo(OutputStream out) throws IOException {
        try (JsonGenerator g = Codec.generator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeFieldName("ledger");
            ledger.writeSnapshot(g);
            g.writeFieldName("stores");
            Codec.writeValue(g, stores);
            g.writeEndObject();
        }
    }

    /** The state the stored snapshot {@code meta} holds; a bad or unreadable payload is a StoreException. */
    public static ReplicatedState load(SnapshotStore store, SnapshotMeta meta) throws StoreException {
        try (SnapshotReader reader = store.openReader(meta); InputStream in = reader.payloadStream()) {
            return read(in);
        } catch (IOException e) {
            throw new StoreException("cannot load the snapshot " + meta.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The state a payload holds, validated; anything wrong is an IOException naming it. */
    static ReplicatedState read(InputStream in) throws IOException {
        try (JsonParser p = Codec.parser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("snapshot payload is not a JSON object");
            }
            Integer format = null;
            Ledger ledger = null;
            StoreEntries stores = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format":
                        format = p.getIntValue();
                        if (format != FORMAT) {
                            throw new IOException("snapshot payload of format " + format + " (this version reads "
                                    + FORMAT + ")");
                        }
                        break;
                    case "ledger":
                        ledger = Ledger.readSnapshot(p);
                        break;
                    case "stores":
                        JsonNode all = Codec.readValue(p);
                        stores = StoreEntries.restore(all);
                        break;
                    default:
                        throw new IOException("snapshot payload has an unknown field '" + field + "'");
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("snapshot payload has content after its document");
            }
            if (format == null || ledger == null || stores == null) {
                throw new IOException("snapshot payload lacks its format, ledger or stores");
            }
            return new ReplicatedState(ledger, stores);
        } catch (LedgerException | IllegalArgumentException e) {
            throw new IOException("snapshot payload is not a valid state: " + e.getMessage(), e);
        }
    }
}

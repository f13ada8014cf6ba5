package dev.raftledger.raftd.rig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rig clients' history: one JSON object a line, one line per operation, written by
 * {@link RigClient} and read by {@link RigChecker}. Times are {@code System.nanoTime()} of the
 * client JVM (CLOCK_MONOTONIC, the same clock in every process of the machine).
 */
public final class History {

    private History() {}

    /** A write whose outcome is unknown never completes: its completion is this. */
    public static final long NEVER = Long.MAX_VALUE;

    public enum Kind { ADD, EDIT, READ }

    /**
     * A definite success ({@code OK}: the write took effect once, the read returned
     * {@code reads}), a definite refusal ({@code FAIL}: nothing happened; for a read, no answer
     * was had), or {@code UNKNOWN}: a write given up on, which may have taken effect or not.
     */
    public enum Outcome { OK, FAIL, UNKNOWN }

    /**
     * One operation. {@code tag} is what the write stores as the expense's description (unique
     * per write: {@code a:client:seq} for an add, {@code e:client:seq} for an edit); {@code id}
     * the expense added (from the result) or edited; {@code reads} what a read returned, expense
     * id to description.
     */
    public record Op(String client, Kind kind, long seq, long invoke, long complete, Outcome outcome,
                     String id, String tag, boolean hot, Map<String, String> reads) {

        public boolean ok() {
            return outcome == Outcome.OK;
        }

        public String toJson() {
            ObjectNode o = Codec.objectNode();
            o.put("client", client).put("kind", kind.name()).put("seq", seq).put("invoke", invoke)
                    .put("complete", complete).put("outcome", outcome.name()).put("id", id).put("tag", tag).put("hot", hot);
            if (reads != null) {
                ObjectNode r = o.putObject("reads");
                reads.forEach(r::put);
            }
            return Codec.toJson(o);
        }

        static Op fromJson(String line) throws IOException {
            JsonNode o;
            try {
                o = Codec.readTree(line);
            } catch (Exception e) {
                throw new IOException("bad history line: " + line, e);
            }
            Map<String, String> reads = null;
            if (o.hasNonNull("reads")) {
                reads = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = o.get("reads").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    reads.put(e.getKey(), e.getValue().asText());
                }
            }
            return new Op(o.get("client").asText(), Kind.valueOf(o.get("kind").asText()), o.get("seq").asLong(),
                    o.get("invoke").asLong(), o.get("complete").asLong(), Outcome.valueOf(o.get("outcome").asText()),
                    o.hasNonNull("id") ? o.get("id").asText() : null, o.hasNonNull("tag") ? o.get("tag").asText() : null,
                    o.get("hot").asBoolean(), reads);
        }
    }

    /** Reads a history file; a last line cut short (a client killed while writing) is skipped. */
    public static List<Op> read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                ops.add(Op.fromJson(line));
            } catch (IOException e) {
                if (i < lines.size() - 1) {
                    throw e;
                }
            }
        }
        return ops;
    }
}

package dev.raftledger.common.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.ledger.Expense;
import dev.raftledger.common.ledger.LedgerCodec;
import dev.raftledger.common.ledger.LedgerException;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A backup file ({@code raftctl backup save}): a short description of where it came from, then
 * a node's snapshot file exactly as the node stores it (raftd's {@code SnapshotFormat}, read
 * here too so that raftctl, which has no raftd code, can check and describe it). Big-endian:
 * <pre>
 *  offset size field
 *       0    4 magic 'R' 'L' 'B' 'K' (0x524C424B)
 *       4    4 backup format version, 1
 *       8    4 description length n (0 to 64 KiB)
 *      12    n description, UTF-8 JSON: {"cluster_id", "node", "created_ms", "version"}
 *    12+n    4 CRC32C of bytes [0, 12+n)
 *    16+n      the snapshot file: magic 'RLSN', version 1, last included index (8), term (8),
 *              payload size (8), payload CRC32C (4), configuration length m (4), configuration
 *              (m), CRC32C of the snapshot header (4), payload
 * </pre>
 * The payload is the replicated state, {@code {"format": 1, "ledger": {...}, "stores": [...]}}.
 * Every part has its own checksum, so {@link #read} tells a torn file, a damaged header, a
 * damaged payload and a file that is not a backup apart. Stateless; every method reads the file
 * afresh, so any thread may call them.
 */
public final class BackupFile {

    public static final int MAGIC = 0x524C_424B;
    public static final int VERSION = 1;
    static final int FIXED_BYTES = 12;
    static final int MAX_DESCRIPTION_BYTES = 64 * 1024;

    static final int SNAPSHOT_MAGIC = 0x524C_534E;
    static final int SNAPSHOT_VERSION = 1;
    static final int SNAPSHOT_FIXED_BYTES = 40;
    static final int MAX_CONFIGURATION_BYTES = 1 << 20;

    /** A file that is not an intact backup, and why (one line). */
    public static final class DamagedException extends Exception {
        public DamagedException(String message) {
            super(message);
        }
    }

    /**
     * Where a backup came from, as the node described it when the backup began.
     *
     * @param clusterId the source cluster's identity, or null if it had none (a cluster of an older release)
     * @param node      the node the snapshot was pulled from
     * @param createdMs when, in ms since the epoch (the client's clock)
     * @param version   the source node's raftd version
     */
    public record Description(String clusterId, String node, long createdMs, String version) {

        public byte[] toBytes() {
            ObjectNode o = Codec.objectNode();
            o.put("cluster_id", clusterId);
            o.put("node", node);
            o.put("created_ms", createdMs);
            o.put("version", version);
            return Codec.toBytes(o);
        }

        static Description parse(byte[] json) throws DamagedException {
            try {
                JsonNode o = Codec.readTree(json);
                if (!o.isObject()) {
                    throw new DamagedException("the backup's description is not a JSON object");
                }
                return new Description(text(o, "cluster_id"), text(o, "node"), o.path("created_ms").asLong(0),
                        text(o, "version"));
            } catch (MalformedMessageException e) {
                throw new DamagedException("the backup's description is not JSON: " + e.getMessage());
            }
        }

        private static String text(JsonNode o, String field) {
            JsonNode n = o.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /**
     * What the snapshot inside says of itself (its header).
     *
     * @param snapshotOffset where the snapshot file starts in the backup
     * @param index          the last log index the state covers
     * @param term           that entry's term
     * @param configuration  the members in force there ({@code {"members": [...]}}), may be empty
     * @param payloadOffset  where the payload starts in the backup
     * @param payloadSize    its bytes
     * @param payloadCrc     its CRC32C, unsigned
     */
    public record Header(Description description, long snapshotOffset, long index, long term, String configuration,
                         long payloadOffset, long payloadSize, long payloadCrc) {

        /** The members of the configuration, or null if the snapshot holds none. */
        public ClusterConfig members() {
            return configuration.isEmpty() ? null : ClusterConfig.parse(configuration);
        }
    }

    /**
     * Everything about an intact backup: its header, its size, and what its state holds (the
     * whole payload was read, checksummed and decoded, one expense or session at a time).
     *
     * @param appliedIndex   the ledger's applied index (the snapshot's index)
     * @param expensesDigest SHA-256 of the expenses alone ({@link ExpensesDigest})
     */
    public record Contents(Header header, long fileSize, long appliedIndex, long expenses, long sessions, long stores,
                           String expensesDigest) {}

    private BackupFile() {}

    /** The bytes that begin a backup whose description is {@code d}; the snapshot file follows them. */
    public static byte[] prefix(Description d) {
        byte[] desc = d.toBytes();
        ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES + desc.length + 4);
        buf.putInt(MAGIC).putInt(VERSION).putInt(desc.length).put(desc);
        buf.putInt(crc(buf.array(), 0, FIXED_BYTES + desc.length));
        return buf.array();
    }

    /** Reads and checks the headers only (cheap): the backup's description and the snapshot's header. */
    public static Header header(Path file) throws IOException, DamagedException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch);
        }
    }

    private static Header header(FileChannel ch) throws IOException, DamagedException {
        long size = ch.size();
        if (size < FIXED_BYTES + 4) {
            throw new DamagedException("not a raftledger backup: the file has " + size + " bytes, fewer than a header");
        }
        ByteBuffer fixed = readAt(ch, 0, FIXED_BYTES);
        if (fixed.getInt(0) != MAGIC) {
            throw new DamagedException(String.format("not a raftledger backup (it begins %08x, a backup begins %08x)",
                    fixed.getInt(0), MAGIC));
        }
        if (fixed.getInt(4) != VERSION) {
            throw new DamagedException("backup format version " + fixed.getInt(4) + "; this version reads " + VERSION);
        }
        int n = fixed.getInt(8);
        if (n < 0 || n > MAX_DESCRIPTION_BYTES || FIXED_BYTES + n + 4L > size) {
            throw new DamagedException("truncated or damaged: a description of " + Integer.toUnsignedString(n)
                    + " bytes in a file of " + size + " bytes");
        }
        byte[] head = new byte[FIXED_BYTES + n + 4];
        readAt(ch, 0, head.length).get(head);
        if (ByteBuffer.wrap(head).getInt(FIXED_BYTES + n) != crc(head, 0, FIXED_BYTES + n)) {
            throw new DamagedException("damaged: the backup's header checksum does not match");
        }
        Description d = Description.parse(java.util.Arrays.copyOfRange(head, FIXED_BYTES, FIXED_BYTES + n));
        long snap = head.length;
        if (size < snap + SNAPSHOT_FIXED_BYTES + 4) {
            throw new DamagedException("truncated: the file ends (at " + size + " bytes) before the snapshot's header");
        }
        ByteBuffer s = readAt(ch, snap, SNAPSHOT_FIXED_BYTES);
        if (s.getInt(0) != SNAPSHOT_MAGIC || s.getInt(4) != SNAPSHOT_VERSION) {
            throw new DamagedException("damaged: no snapshot (of format " + SNAPSHOT_VERSION + ") after the backup's header");
        }
        int m = s.getInt(36);
        if (m < 0 || m > MAX_CONFIGURATION_BYTES || snap + SNAPSHOT_FIXED_BYTES + m + 4L > size) {
            throw new DamagedException("truncated or damaged: a configuration of " + Integer.toUnsignedString(m)
                    + " bytes in a file of " + size + " bytes");
        }
        byte[] sh = new byte[SNAPSHOT_FIXED_BYTES + m + 4];
        readAt(ch, snap, sh.length).get(sh);
        ByteBuffer h = ByteBuffer.wrap(sh);
        if (h.getInt(SNAPSHOT_FIXED_BYTES + m) != crc(sh, 0, SNAPSHOT_FIXED_BYTES + m)) {
            throw new DamagedException("damaged: the snapshot's header checksum does not match");
        }
        long index = h.getLong(8);
        long term = h.getLong(16);
        long payloadSize = h.getLong(24);
        long payloadCrc = Integer.toUnsignedLong(h.getInt(32));
        if (index < 0 || term < 1 || payloadSize < 0) {
            throw new DamagedException("damaged: impossible index " + index + ", term " + term + " or size " + payloadSize);
        }
        String configuration = new String(sh, SNAPSHOT_FIXED_BYTES, m, StandardCharsets.UTF_8);
        if (!configuration.isEmpty()) {
            try {
                ClusterConfig.parse(configuration);
            } catch (IllegalArgumentException e) {
                throw new DamagedException("damaged: the snapshot's configuration is not one: " + e.getMessage());
            }
        }
        long payloadOffset = snap + sh.length;
        long expected = payloadOffset + payloadSize;
        if (size != expected) {
            throw new DamagedException((size < expected ? "truncated" : "damaged") + ": the file has " + size
                    + " bytes; its headers say " + expected);
        }
        return new Header(d, snap, index, term, configuration, payloadOffset, payloadSize, payloadCrc);
    }

    /**
     * Checks everything (headers, sizes, the payload's checksum) and decodes the state, one
     * expense or session at a time, so that a backup of any size is checked in a small heap
     * (raftctl runs in 64 MiB).
     */
    public static Contents read(Path file) throws IOException, DamagedException {
        return read(file, bytes -> { });
    }

    /** As {@link #read(Path)}, telling {@code progress} the payload bytes checked so far after every read. */
    public static Contents read(Path file, java.util.function.LongConsumer progress) throws IOException, DamagedException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch);
            ch.position(h.payloadOffset());
            CheckedStream in = new CheckedStream(new BufferedInputStream(Channels.newInputStream(ch), 256 * 1024),
                    h.payloadSize(), progress);
            StateScan scan = new StateScan();
            try (JsonParser p = Codec.parser(in)) {
                scan.payload(p);
            } catch (DamagedException | LedgerException | IllegalArgumentException
                     | com.fasterxml.jackson.core.JacksonException e) {
                in.drain();
                if (in.crc() != h.payloadCrc()) {
                    throw checksum(h, in); // the checksum says why better than the decoder
                }
                throw e instanceof DamagedException d ? d
                        : new DamagedException("damaged: the snapshot's state does not decode: " + e.getMessage());
            }
            in.drain();
            if (in.crc() != h.payloadCrc()) {
                throw checksum(h, in);
            }
            return new Contents(h, ch.size(), scan.appliedIndex, scan.expenses, scan.sessions, scan.stores,
                    scan.digest.finish());
        }
    }

    /** Walks a payload with a streaming parser, decoding each expense and session on its own. */
    private static final class StateScan {
        long appliedIndex = -2;
        long expenses;
        long sessions;
        long stores = -1;
        final ExpensesDigest.Running digest = new ExpensesDigest.Running();
        private long lastId = -1;

        void payload(JsonParser p) throws IOException, DamagedException, LedgerException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the snapshot's payload");
            boolean format = false;
            boolean ledger = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "format" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != 1) {
                            throw new DamagedException("the snapshot's payload is not of format 1 (a newer version's?)");
                        }
                        format = true;
                    }
                    case "ledger" -> {
                        ledger(p);
                        ledger = true;
                    }
                    case "stores" -> {
                        JsonNode all = Codec.readValue(p);
                        if (!all.isArray()) {
                            throw new DamagedException("damaged: the snapshot's stores are not a list");
                        }
                        stores = all.size();
                    }
                    default -> throw new DamagedException("the snapshot's payload has an unknown field '" + field
                            + "' (written by a newer version?)");
                }
            }
            if (p.nextToken() != null) {
                throw new DamagedException("damaged: content after the snapshot's payload");
            }
            if (!format || !ledger || stores < 0) {
                throw new DamagedException("damaged: the snapshot's payload lacks its format, ledger or stores");
            }
        }

        private void ledger(JsonParser p) throws IOException, DamagedException, LedgerException {
            expect(p.currentToken(), JsonToken.START_OBJECT, "the ledger");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "applied_index" -> appliedIndex = p.getLongValue();
                    case "expenses" -> {
                        expect(v, JsonToken.START_ARRAY, "the ledger's expenses");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Expense e = LedgerCodec.expenseFromJson(Codec.readValue(p));
                            long id = dev.raftledger.common.ledger.ExpenseId.index(e.id());
                            if (id <= lastId) {
                                throw new DamagedException("damaged: the expenses are out of order at " + e.id());
                            }
                            lastId = id;
                            digest.add(e);
                            expenses++;
                        }
                    }
                    case "sessions" -> {
                        expect(v, JsonToken.START_ARRAY, "the ledger's sessions");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            JsonNode s = Codec.readValue(p);
                            if (!s.path("client_id").isTextual() || !s.path("seq").canConvertToExactIntegral()) {
                                throw new DamagedException("damaged: a session without its client id or seq");
                            }
                            LedgerCodec.resultFromJson(s.get("result"));
                            sessions++;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (appliedIndex < -1) {
                throw new DamagedException("damaged: the ledger has no applied index");
            }
        }

        private static void expect(JsonToken got, JsonToken wanted, String what) throws DamagedException {
            if (got != wanted) {
                throw new DamagedException("damaged: " + what + " is not a JSON " + (wanted == JsonToken.START_ARRAY
                        ? "array" : "object"));
            }
        }
    }

    private static DamagedException checksum(Header h, CheckedStream in) {
        return new DamagedException(String.format("damaged: the payload's checksum is %08x, its header says %08x",
                in.crc(), h.payloadCrc()));
    }

    /** A stream of exactly the payload's bytes, checksummed as they pass. */
    private static final class CheckedStream extends InputStream {
        private final InputStream in;
        private final CRC32C crc = new CRC32C();
        private final java.util.function.LongConsumer progress;
        private final long size;
        private long left;

        CheckedStream(InputStream in, long size, java.util.function.LongConsumer progress) {
            this.in = in;
            this.size = size;
            this.left = size;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the file ended before its payload did");
            }
            crc.update(b, off, n);
            left -= n;
            progress.accept(size - left);
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // checksumming what the decoder did not need
            }
        }

        long crc() {
            return crc.getValue();
        }
    }

    /** A stream of the payload of an intact backup whose header is {@code h} (the caller checks the CRC as it reads, or read it before). */
    public static InputStream payload(Path file, Header h) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(h.payloadOffset());
        InputStream raw = Channels.newInputStream(ch);
        return new BufferedInputStream(new InputStream() {
            long left = h.payloadSize();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = raw.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        }, 256 * 1024);
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("the file ended at offset " + at);
            }
            at += n;
        }
        return buf.flip();
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }
}

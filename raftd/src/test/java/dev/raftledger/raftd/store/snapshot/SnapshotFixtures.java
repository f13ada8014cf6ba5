package dev.raftledger.raftd.store.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Shared by the snapshot tests: recognisable payloads, and ways to look at and damage the files. */
final class SnapshotFixtures {

    static final String CONFIG = "{\"members\":[\"Node1\",\"Node2\",\"Node3\",\"Node4\",\"Node5\"],\"note\":\"\u00e9t\u00e9\"}";

    private SnapshotFixtures() {}

    /** A payload that names its snapshot, {@code size} bytes long. */
    static byte[] payload(long index, int size) {
        byte[] seed = ("ledger at " + index + "; ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = seed[i % seed.length];
        }
        return out;
    }

    /** The byte at {@code position} of a generated payload: cheap, and not periodic at any chunk size used. */
    static byte generated(long position) {
        long x = position * 0x9E37_79B9_7F4A_7C15L;
        return (byte) (x >>> 56 ^ position >>> 13);
    }

    static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    static Path file(Path dir, long index, long term) {
        return dir.resolve(SnapshotFormat.fileName(index, term));
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x40;
        Files.write(file, bytes);
    }

    static void cut(Path file, long size) throws IOException {
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) size));
    }
}

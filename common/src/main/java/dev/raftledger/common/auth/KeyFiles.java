package dev.raftledger.common.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the files that hold secrets: a file its group or others can read or write protects
 * nothing, so it is refused (as ssh refuses such private keys). Lines are split on blanks;
 * blank lines and lines starting with {@code #} are skipped.
 */
final class KeyFiles {

    /** A line of a key file: its number (from 1) and its words. */
    record Line(int number, List<String> words) {}

    private KeyFiles() {}

    static List<Line> read(Path file, String what) throws AuthException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            others.retainAll(perms);
            if (!others.isEmpty()) {
                throw new AuthException(what + " " + file + " must be readable only by its owner (it is "
                        + PosixFilePermissions.toString(perms) + "; chmod 600 it)");
            }
            List<Line> lines = new ArrayList<>();
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                lines.add(new Line(n, List.of(s.split("\\s+"))));
            }
            return lines;
        } catch (IOException e) {
            throw new AuthException("cannot read " + what + " " + file + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new AuthException("cannot check the permissions of " + file + " on this file system");
        }
    }

    static String secret(Path file, Line line, String word) throws AuthException {
        if (word.length() < Key.MIN_LENGTH) {
            throw new AuthException(file + " line " + line.number() + ": the secret is too short: at least "
                    + Key.MIN_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
        return word;
    }
}

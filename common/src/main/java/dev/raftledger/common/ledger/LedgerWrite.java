package dev.raftledger.common.ledger;

import java.util.Objects;

/**
 * A ledger write as its log entry holds it, decoded and validated once: the command (checked and
 * normalised by {@link Validation}) and the leader's {@link Ledger.Stamp}. Only
 * {@link LedgerCodec#accept} makes one, after validating, so the ledger may execute it without
 * checking it again ({@link Ledger#apply(long, long, LedgerWrite)}), and {@link LedgerCodec#entryBytes}
 * writes the entry's bytes from it. The leader keeps the one it proposed next to the waiting write
 * and applies it when the entry commits, instead of parsing the entry's bytes back; decoding those
 * bytes gives an equal write (LedgerWriteTest checks). Immutable.
 */
public final class LedgerWrite {

    private final LedgerCommand command;
    private final Ledger.Stamp stamp;

    LedgerWrite(LedgerCommand command, Ledger.Stamp stamp) {
        this.command = Objects.requireNonNull(command);
        this.stamp = Objects.requireNonNull(stamp);
    }

    /** The validated, normalised command. */
    public LedgerCommand command() {
        return command;
    }

    /** What the leader stamped into the entry ({@link Ledger.Stamp#NONE}: nothing). */
    public Ledger.Stamp stamp() {
        return stamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerWrite w && command.equals(w.command) && stamp.equals(w.stamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, stamp);
    }

    @Override
    public String toString() {
        return "LedgerWrite[" + command + ", " + stamp + "]";
    }
}

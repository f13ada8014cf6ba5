package dev.raftledger.common.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line of a terminal redrawn in place: each {@link #draw} returns the carriage, writes the
 * new text and blanks what a longer previous text left; {@link #finish} ends the line once, if
 * anything was drawn. The drawing half of raftctl's and raftd's progress lines (the text is
 * {@link ProgressLine}'s; whether to draw at all is the caller's). Not thread-safe.
 */
public final class RedrawnLine {

    private final PrintWriter out;
    private int lastWidth;

    public RedrawnLine(PrintWriter out) {
        this.out = out;
    }

    public void draw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    /**
     * Whether this process's stderr is a terminal, the only place a line is worth redrawing: on
     * Linux, where fd 2 points (Java 17 has no isatty for one stream); elsewhere {@code otherwise}.
     */
    public static boolean stderrIsTerminal(boolean otherwise) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return otherwise;
        }
    }

    /** Ends the line, so that what follows starts on its own; nothing if nothing was drawn. */
    public void finish() {
        if (lastWidth > 0) {
            out.println();
            out.flush();
            lastWidth = 0;
        }
    }
}

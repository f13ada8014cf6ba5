package dev.raftledger.raftctl;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;

/**
 * How a chart may be drawn on standard output: with Unicode block elements or only ASCII, and
 * how many columns wide. Unicode only on a terminal that can show it (not {@code TERM=dumb}, a
 * UTF-8 encoding); ASCII for a dumb terminal, a pipe or a file. The width is the terminal's
 * (from JLine), else the {@code COLUMNS} variable, else {@value #DEFAULT_WIDTH}.
 *
 * <p>Called on the command's thread; never throws: a terminal that cannot be opened means ASCII.
 *
 * @param unicode whether block elements (U+2580..U+259F) may be used
 * @param width   columns a line may take, at least {@value #MIN_WIDTH}
 */
public record Drawing(boolean unicode, int width) {

    /** Columns when neither the terminal nor COLUMNS says. */
    public static final int DEFAULT_WIDTH = 80;
    /** Narrower than this is taken as this: a chart needs room for a bar. */
    public static final int MIN_WIDTH = 20;
    /** Wider than this (a bogus COLUMNS) is taken as this. */
    public static final int MAX_WIDTH = 1000;

    public Drawing {
        width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, width));
    }

    /**
     * What standard output allows: inside the shell its terminal; one-shot, when stdout is a
     * terminal, the system terminal, opened only to ask its type, encoding and width and closed
     * again; otherwise (a pipe, a file) ASCII.
     */
    public static Drawing of(Environment environment) {
        Terminal shell = environment.shellTerminal();
        if (shell != null) {
            return of(shell, environment); // the shell owns it: not closed here
        }
        if (!environment.ansiOutput()) {
            return new Drawing(false, columns(environment));
        }
        try (Terminal terminal = environment.terminal().open()) {
            return of(terminal, environment);
        } catch (IOException | RuntimeException e) {
            return new Drawing(false, columns(environment));
        }
    }

    /** ASCII at COLUMNS or the default width, for output that must not open the terminal (watch's plain mode). */
    public static Drawing plain(Environment environment) {
        return new Drawing(false, columns(environment));
    }

    /** What {@code terminal} allows; its width, else COLUMNS or the default. */
    public static Drawing of(Terminal terminal, Environment environment) {
        int width = terminal.getWidth();
        return new Drawing(canDraw(terminal), width > 0 ? width : columns(environment));
    }

    /** Whether the terminal shows block elements: a known type (not dumb) and UTF-8. */
    public static boolean canDraw(Terminal terminal) {
        String type = terminal.getType();
        Charset encoding = terminal.encoding();
        return type != null && !type.startsWith(Terminal.TYPE_DUMB) && StandardCharsets.UTF_8.equals(encoding);
    }

    /** COLUMNS if it is a positive number, else {@value #DEFAULT_WIDTH}. */
    static int columns(Environment environment) {
        String columns = environment.variable("COLUMNS");
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a number: the default
            }
        }
        return DEFAULT_WIDTH;
    }
}

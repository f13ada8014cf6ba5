package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.backup.ProgressLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Long operations' progress lines: how much, how fast, how long; redrawn in place and ended once. */
class ProgressDisplayTest {

    @Test
    void aLineSaysHowMuchHowFastAndHowLong() {
        long mib = 1024 * 1024;
        assertEquals("backup: 12.0 MiB of 240.0 MiB (5%), 6.0 MiB/s, 38 s left",
                ProgressLine.line("backup", 12 * mib, 240 * mib, 2000));
        assertEquals("backup: 240.0 MiB of 240.0 MiB (100%), 48.0 MiB/s",
                ProgressLine.line("backup", 240 * mib, 240 * mib, 5000));
        assertEquals("backup: 0 B of 1.5 KiB (0%)", ProgressLine.line("backup", 0, 1536, 0));
        assertEquals("backup: 1.0 MiB of 2.0 GiB (0%), 1.0 KiB/s, 582 h 15 min left",
                ProgressLine.line("backup", mib, 2048 * mib, 1024 * 1000));
        assertEquals("2 min 5 s", ProgressLine.duration(125));
    }

    @Test
    void aCountSaysHowManyOfHowManyHowFastAndHowLong() {
        assertEquals("import: 1200 of 5000 rows (24%), 600 rows/s, 7 s left",
                ProgressLine.count("import", 1200, 5000, "rows", 2000));
        assertEquals("export: 5000 of 5000 expenses (100%), 2500 expenses/s",
                ProgressLine.count("export", 5000, 5000, "expenses", 2000));
        assertEquals("export: 300 expenses, 150 expenses/s", ProgressLine.count("export", 300, 0, "expenses", 2000),
                "total not known: no share, no time left");
        assertEquals("import: 0 of 10 rows (0%)", ProgressLine.count("import", 0, 10, "rows", 0));
    }

    @Test
    void eachUpdateRedrawsTheLineOverTheLastAndFinishEndsIt() {
        StringWriter s = new StringWriter();
        ProgressDisplay p = new ProgressDisplay(new PrintWriter(s), "backup");
        p.update(2048, 4096, 1000);
        p.update(4096, 4096, 1000);
        p.finish();
        String[] draws = s.toString().split("\r", -1);
        assertEquals(3, draws.length, s.toString());
        assertEquals("backup: 2.0 KiB of 4.0 KiB (50%), 2.0 KiB/s, 1 s left", draws[1]);
        // the shorter second line blanks what is left of the first
        assertTrue(draws[2].startsWith("backup: 4.0 KiB of 4.0 KiB (100%), 4.0 KiB/s   "), draws[2]);
        assertTrue(draws[2].endsWith(" \n") || draws[2].endsWith(" " + System.lineSeparator()), draws[2]);
    }

    @Test
    void nothingIsWrittenWithoutAnUpdate() {
        StringWriter s = new StringWriter();
        new ProgressDisplay(new PrintWriter(s), "backup").finish();
        assertEquals("", s.toString());
    }
}

package dev.raftledger.raftctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The backup's progress line: bytes, share, rate, time left; redrawn in place and ended once. */
class TransferProgressTest {

    @Test
    void aLineSaysHowMuchHowFastAndHowLong() {
        long mib = 1024 * 1024;
        assertEquals("backup: 12.0 MiB of 240.0 MiB (5%), 6.0 MiB/s, 38 s left",
                TransferProgress.line("backup", 12 * mib, 240 * mib, 2000));
        assertEquals("backup: 240.0 MiB of 240.0 MiB (100%), 48.0 MiB/s",
                TransferProgress.line("backup", 240 * mib, 240 * mib, 5000));
        assertEquals("backup: 0 B of 1.5 KiB (0%)", TransferProgress.line("backup", 0, 1536, 0));
        assertEquals("backup: 1.0 MiB of 2.0 GiB (0%), 1.0 KiB/s, 582 h 15 min left",
                TransferProgress.line("backup", mib, 2048 * mib, 1024 * 1000));
        assertEquals("2 min 5 s", TransferProgress.duration(125));
    }

    @Test
    void eachUpdateRedrawsTheLineOverTheLastAndFinishEndsIt() {
        StringWriter s = new StringWriter();
        TransferProgress p = new TransferProgress(new PrintWriter(s), "backup");
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
        new TransferProgress(new PrintWriter(s), "backup").finish();
        assertEquals("", s.toString());
    }
}

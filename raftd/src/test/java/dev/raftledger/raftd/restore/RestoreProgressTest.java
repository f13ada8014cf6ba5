package dev.raftledger.raftd.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** raftd restore's progress line: drawn in place on a terminal, phase after phase; nothing elsewhere. */
class RestoreProgressTest {

    @Test
    void onATerminalEachPhaseEndsOnItsOwnLineAndTheLastUpdateIsAlwaysDrawn() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), true);
        p.start("restore: checking the backup", 4096);
        p.update(1024);
        p.update(2048); // within 200 ms of the last: not drawn
        p.update(4096); // the end: drawn
        p.start("restore: writing /tmp/x", 4096);
        p.update(4096);
        p.finish();
        String[] lines = s.toString().split("\n");
        assertEquals(2, lines.length, s.toString());
        assertTrue(lines[0].startsWith("\rrestore: checking the backup: 1.0 KiB of 4.0 KiB (25%)"), lines[0]);
        assertTrue(lines[0].contains("\rrestore: checking the backup: 4.0 KiB of 4.0 KiB (100%)"), lines[0]);
        assertTrue(!lines[0].contains("2.0 KiB of"), "throttled: " + lines[0]);
        assertTrue(lines[1].startsWith("\rrestore: writing /tmp/x: 4.0 KiB of 4.0 KiB (100%)"), lines[1]);
    }

    @Test
    void elsewhereNothingIsWritten() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false);
        p.start("restore: checking the backup", 10);
        p.update(10);
        p.finish();
        assertEquals("", s.toString());
    }
}

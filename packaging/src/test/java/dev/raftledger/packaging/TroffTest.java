package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Help text reaches the page as written, whatever characters it holds. */
class TroffTest {

    @Test
    void hyphensAndBackslashesAreEscaped() {
        assertEquals("\\-\\-data\\-dir C:\\eraft", Troff.text("--data-dir C:\\raft"));
    }

    @Test
    void aListWithoutSpacesMayBreakAfterItsCommas() {
        assertEquals("Node1=a,\\:Node2=b, c", Troff.text("Node1=a,Node2=b, c"));
    }

    @Test
    void aLeadingDotOrQuoteIsNotARequest() {
        assertEquals("\\&.SH not a heading", Troff.text(".SH not a heading"));
        assertEquals("\\&'quoted", Troff.text("'quoted"));
        assertEquals("a . b", Troff.text("a . b"));
    }

    @Test
    void nonAsciiBecomesAGlyphNameAndControlsGo() {
        assertEquals("5\\[u2013]9 \\[u20AC]", Troff.text("5\u20139 \u20ac"));
        assertEquals("ab c", Troff.text("a\u0007b\tc"));
    }

    @Test
    void quotedArgumentsDoubleTheirQuotes() {
        assertEquals("\"say \"\"hi\"\"\"", Troff.quoted("say \"hi\""));
    }
}

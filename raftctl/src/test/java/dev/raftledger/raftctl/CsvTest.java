package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() throws Exception {
        List<Csv.Row> rows = Csv.parse("\uFEFFa,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n\n3,,\n");

        assertEquals(3, rows.size());
        assertEquals(new Csv.Row(1, List.of("a", "b", "c")), rows.get(0));
        assertEquals(new Csv.Row(2, List.of("1", "x, \"y\"", "two\nlines")), rows.get(1));
        assertEquals(new Csv.Row(5, List.of("3", "", "")), rows.get(2), "line numbers count the line break inside quotes");
    }

    @Test
    void lastLineWithoutLineEnd() throws Exception {
        assertEquals(List.of(new Csv.Row(1, List.of("a", "b"))), Csv.parse("a,b"));
    }

    @Test
    void unclosedQuoteIsAnError() {
        Csv.CsvException e = assertThrows(Csv.CsvException.class, () -> Csv.parse("a\n\"open,b\n"));
        assertTrue(e.getMessage().startsWith("line 2: a quoted field is never closed"), e.getMessage());
        assertThrows(Csv.CsvException.class, () -> Csv.parse("\"a\"b\n"));
    }

    @Test
    void writingQuotesOnlyWhatNeedsIt() throws Exception {
        String line = Csv.line(List.of("plain", "a,b", "say \"hi\"", " padded", ""));

        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\" padded\",", line);
        assertEquals(List.of("plain", "a,b", "say \"hi\"", " padded", ""), Csv.parse(line).get(0).fields());
    }
}

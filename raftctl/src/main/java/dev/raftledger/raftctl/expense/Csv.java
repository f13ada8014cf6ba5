package dev.raftledger.raftctl.expense;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV for import and export, read and written by Jackson's CSV module (streaming, no
 * data binding): fields separated by commas, a field in double quotes may hold commas, quotes
 * (doubled) and line breaks; lines end in LF, CRLF or CR; a UTF-8 byte order mark at the start is
 * skipped; blank lines are skipped. Each record keeps the line it starts on, for messages.
 *
 * <p>One difference from the hand-written reader this replaced: spaces before the first field of
 * a line are dropped (Jackson skips them where a quote could follow); inner and trailing spaces,
 * and spaces in later fields, are kept. Import strips every field it uses anyway (the ledger's
 * validation does).
 */
final class Csv {

    /** One record and the line it starts on (1-based), for messages. */
    record Row(int line, List<String> fields) {}

    /** Text that is not CSV (a quote never closed, text after a closing quote). */
    static final class CsvException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvException(String message) {
            super(message, null, false, false);
        }
    }

    /** Thread-safe once configured, as Jackson's factories are. */
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private Csv() {}

    static List<Row> parse(String text) throws CsvException {
        List<Row> rows = new ArrayList<>();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int start = 1; // the line the record being read starts on
        try (CsvParser p = (CsvParser) FACTORY.createParser(body)) {
            p.setSchema(CsvSchema.emptySchema());
            p.nextToken(); // the array that wraps every record
            while (true) {
                start = p.currentLocation().getLineNr();
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    break; // the wrapping array's end: no more records
                }
                List<String> fields = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (fields.isEmpty()) {
                        start = p.currentTokenLocation().getLineNr();
                    }
                    fields.add(p.getText());
                }
                if (!(fields.size() == 1 && fields.get(0).isBlank())) {
                    rows.add(new Row(start, List.copyOf(fields)));
                }
            }
        } catch (JsonParseException e) {
            throw new CsvException(describe(e, start));
        } catch (IOException e) {
            throw new UncheckedIOException("reading CSV from a string", e);
        }
        return rows;
    }

    /** Jackson's message as this project words it, with the line the bad record starts on. */
    private static String describe(JsonParseException e, int recordLine) {
        String m = e.getOriginalMessage();
        if (m.startsWith("Missing closing quote")) {
            return "line " + recordLine + ": a quoted field is never closed";
        }
        if (m.startsWith("Unexpected character")) {
            return "line " + e.getLocation().getLineNr() + ": text after a closing quote (a quote inside a"
                    + " quoted field must be doubled)";
        }
        return "line " + e.getLocation().getLineNr() + ": " + m;
    }

    /** One record, each field quoted only if it needs to be; no line end. */
    static String line(List<String> fields) {
        StringWriter w = new StringWriter();
        try (CsvGenerator g = (CsvGenerator) FACTORY.createGenerator(w)) {
            g.setSchema(CsvSchema.emptySchema().withLineSeparator(""));
            g.writeStartArray();
            for (String f : fields) {
                g.writeString(f);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV to a string", e);
        }
        return w.toString();
    }
}

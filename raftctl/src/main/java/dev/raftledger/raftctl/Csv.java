package dev.raftledger.raftctl;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, enough for import and export: fields separated by commas, a field in double
 * quotes may hold commas, quotes (doubled) and line breaks; lines end in LF or CRLF; a UTF-8
 * byte order mark at the start is skipped; blank lines are skipped.
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

    private Csv() {}

    static List<Row> parse(String text) throws CsvException {
        List<Row> rows = new ArrayList<>();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        int n = text.length();
        while (i < n) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean blank = true;
            while (true) {
                if (i < n && text.charAt(i) == '"') {
                    blank = false;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new CsvException("line " + start + ": a quoted field is never closed");
                        }
                        char c = text.charAt(i++);
                        if (c == '"') {
                            if (i < n && text.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                        }
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new CsvException("line " + line + ": text after a closing quote (a quote inside a"
                                + " quoted field must be doubled)");
                    }
                } else {
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        field.append(text.charAt(i++));
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i < n && text.charAt(i) == ',') {
                    blank = false;
                    i++;
                    continue;
                }
                // end of record: CRLF, LF, lone CR or the end of the text
                if (i < n && text.charAt(i) == '\r') {
                    i++;
                }
                if (i < n && text.charAt(i) == '\n') {
                    i++;
                }
                line++;
                break;
            }
            if (blank && fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            rows.add(new Row(start, List.copyOf(fields)));
        }
        return rows;
    }

    /** One record, each field quoted only if it needs to be; no line end. */
    static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(fields.get(i)));
        }
        return b.toString();
    }

    static String field(String s) {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

package dev.raftledger.packaging;

/** Escaping text for troff's man macros, so that any help text renders as written. */
final class Troff {

    private Troff() {}

    /**
     * One line of running text: backslashes and hyphens escaped (a plain "-" may print as a
     * hyphen, which breaks copying an option), a break point after a comma that has no space, non-ASCII as \[uXXXX] (troff reads Latin-1 unless
     * preconv runs first), and a leading "." or "'" made literal so it is not read as a request.
     */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                sb.append("\\e");
            } else if (cp == '-') {
                sb.append("\\-");
            } else if (cp == ',' && i < s.length() && s.charAt(i) != ' ') {
                // a break point after the comma, so a long list (Node1=...,Node2=...) can wrap
                sb.append(",\\:");
            } else if (cp == '\t') {
                sb.append(' ');
            } else if (cp < 0x20 || cp == 0x7f) {
                // control characters have no place in a page; drop them
                continue;
            } else if (cp > 0x7e) {
                sb.append(String.format("\\[u%04X]", cp));
            } else {
                sb.append((char) cp);
            }
        }
        if (sb.length() > 0 && (sb.charAt(0) == '.' || sb.charAt(0) == '\'')) {
            sb.insert(0, "\\&");
        }
        return sb.toString();
    }

    /** Bold, then back to roman. */
    static String bold(String s) {
        return "\\fB" + text(s) + "\\fR";
    }

    /** Italic (for placeholders), then back to roman. */
    static String italic(String s) {
        return "\\fI" + text(s) + "\\fR";
    }

    /** An argument of a macro line such as .TH: quoted, with quotes inside doubled. */
    static String quoted(String s) {
        return "\"" + text(s).replace("\"", "\"\"") + "\"";
    }
}

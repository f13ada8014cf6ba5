package dev.raftledger.raftd.packaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile, for static checks: comments dropped, continuation lines
 * joined, each split into its keyword and its words (JSON exec form left as written).
 */
record DockerfileInstructions(List<Instruction> all) {

    /** One instruction: keyword in capitals, the rest of its line, the line it starts on. */
    record Instruction(String keyword, String rest, int line) {

        /** The words of the rest, split on white space (no shell quoting: our Dockerfile has none). */
        List<String> words() {
            return Arrays.asList(rest.trim().split("\\s+"));
        }
    }

    static DockerfileInstructions parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#") || (current == null && line.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            String body = continues ? line.substring(0, line.length() - 1) : line;
            if (current == null) {
                current = new StringBuilder(body);
                start = i + 1;
            } else {
                current.append(' ').append(body);
            }
            if (!continues) {
                String joined = current.toString().strip();
                int space = joined.indexOf(' ');
                String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
                out.add(new Instruction(keyword, space < 0 ? "" : joined.substring(space + 1).strip(), start));
                current = null;
            }
        }
        return new DockerfileInstructions(List.copyOf(out));
    }

    List<Instruction> named(String keyword) {
        return all.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
}

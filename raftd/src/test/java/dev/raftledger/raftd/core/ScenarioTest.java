package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Interaction scripts, in the manner of go.etcd.io/raft's {@code testdata/*.txt}: each file in
 * {@code src/test/resources/scenarios} is a sequence of commands to an {@link Interaction}, each
 * followed by {@code ----} and the full trace it must print, then a blank line; lines starting
 * with {@code #} between them are comments. The expected traces are data: after a deliberate
 * change of behaviour, run
 * {@code mvn -pl raftd -am test -Dtest=ScenarioTest -Dsurefire.failIfNoSpecifiedTests=false -Dscenario.rewrite=true}
 * to write the actual traces into the files, and review the diff as text: every message that
 * appears, vanishes or changes is a line in it.
 */
class ScenarioTest {

    private static final Path DIR = Path.of("src/test/resources/scenarios");
    private static final boolean REWRITE = Boolean.getBoolean("scenario.rewrite");

    /** One command and what it must print, with the comment and blank lines before it. */
    private record Case(List<String> before, String command, int line, String expected) {}

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no scripts in " + DIR.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private static void run(Path file) throws IOException {
        List<Case> cases = parse(file);
        Interaction interaction = new Interaction();
        StringBuilder rewritten = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            String actual;
            try {
                actual = interaction.run(c.command());
            } catch (RuntimeException e) {
                actual = "error: " + e;
            }
            if (!actual.equals(c.expected())) {
                mismatches.add(file.getFileName() + ":" + c.line() + ": " + c.command() + "\n--- expected\n" + c.expected()
                        + "\n--- actual\n" + actual);
            }
            for (String b : c.before()) {
                rewritten.append(b).append('\n');
            }
            rewritten.append(c.command()).append("\n----\n").append(actual).append("\n");
        }
        if (REWRITE) {
            Files.writeString(file, rewritten.toString(), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(List.of(), mismatches, String.join("\n\n", mismatches)
                + "\n\n(after a deliberate change: -Dscenario.rewrite=true, then review the diff)");
    }

    private static List<Case> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        List<String> before = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                before.add(l);
                i++;
                continue;
            }
            int at = i + 1;
            if (i + 1 >= lines.size() || !lines.get(i + 1).equals("----")) {
                throw new IllegalArgumentException(file + ":" + at + ": '" + l + "' is not followed by ----");
            }
            List<String> expected = new ArrayList<>();
            i += 2;
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.add(lines.get(i++));
            }
            cases.add(new Case(before, l, at, String.join("\n", expected)));
            before = new ArrayList<>();
        }
        return cases;
    }
}

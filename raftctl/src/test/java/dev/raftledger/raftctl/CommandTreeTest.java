package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of raftctl's command tree (docs/design.md, "raftctl"): a package per noun
 * ({@code cluster}, {@code expense}, {@code member}, {@code store}, {@code keys}) over a client layer
 * ({@code client}) and the shared root; a command names another command only as its parent, its
 * subcommands or its base class, never to borrow code; and no noun package imports another.
 */
class CommandTreeTest {

    private static final Path MAIN = Path.of("src/main/java/dev/raftledger/raftctl");
    private static final Set<String> NOUNS = Set.of("cluster", "expense", "member", "store", "keys");
    private static final Pattern COMMAND = Pattern.compile("\\b([A-Z]\\w*Command)\\b");

    @Test
    void noCommandIsALibraryForAnother() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> commands = new HashSet<>();
        for (Path f : sources()) {
            String n = f.getFileName().toString().replace(".java", "");
            if (n.endsWith("Command")) {
                commands.add(n);
            }
        }
        for (Path f : sources()) {
            String name = f.getFileName().toString().replace(".java", "");
            if (!commands.contains(name)) {
                continue; // the shell and the completer may know the commands; commands may not know each other
            }
            String text = code(f);
            Set<String> allowed = new HashSet<>();
            allowed.add(name);
            allowed.add("RaftctlCommand");
            Matcher parent = Pattern.compile("@ParentCommand\\s+(?:private\\s+|public\\s+)?(\\w+)").matcher(text);
            while (parent.find()) {
                allowed.add(parent.group(1));
            }
            Matcher base = Pattern.compile("\\bextends\\s+(\\w+)").matcher(text);
            while (base.find()) {
                allowed.add(base.group(1));
            }
            Matcher subs = Pattern.compile("subcommands\\s*=\\s*\\{([^}]*)}").matcher(text);
            while (subs.find()) {
                Matcher c = COMMAND.matcher(subs.group(1));
                while (c.find()) {
                    allowed.add(c.group(1));
                }
            }
            Matcher used = COMMAND.matcher(text);
            while (used.find()) {
                String other = used.group(1);
                if (commands.contains(other) && !allowed.contains(other)) {
                    problems.add(name + " uses " + other);
                }
            }
        }
        assertEquals(List.of(), problems, "a command that needs another's code should find it in the client or output layer");
    }

    @Test
    void nounsDoNotImportEachOther() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = MAIN.relativize(f.getParent()).toString();
            if (!NOUNS.contains(pkg)) {
                continue;
            }
            for (String noun : NOUNS) {
                if (!noun.equals(pkg) && code(f).contains("dev.raftledger.raftctl." + noun + ".")) {
                    problems.add(pkg + "/" + f.getFileName() + " imports from " + noun);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyCommandLivesInItsNounsPackage() throws IOException {
        List<String> roots = new ArrayList<>();
        for (Path f : sources()) {
            String name = f.getFileName().toString();
            if (name.endsWith("Command.java") && f.getParent().equals(MAIN) && !name.equals("RaftctlCommand.java")) {
                roots.add(name);
            }
        }
        assertEquals(List.of(), roots, "commands belong in cluster, expense, member, store or keys");
        try (Stream<Path> dirs = Files.list(MAIN)) {
            Set<String> packages = new HashSet<>();
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
            assertTrue(packages.containsAll(NOUNS) && packages.contains("client"), packages.toString());
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The source without comments, so a javadoc mention is not a use. */
    private static String code(Path f) throws IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}

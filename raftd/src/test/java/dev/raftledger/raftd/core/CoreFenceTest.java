package dev.raftledger.raftd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fence around the Raft core: it may use its own package, the wire records of
 * {@code dev.raftledger.common.wire} and the JDK, and nothing else (no driver, store, metrics,
 * Jackson); and of the JDK nothing that would make it impure: no sockets, files, threads,
 * clocks or unseeded randomness (see docs/design.md). Checked twice: on the sources' imports,
 * which gives a readable message, and on the compiled classes' constant pools, which also sees
 * fully qualified names and anything an import would not show.
 */
class CoreFenceTest {

    static final String CORE = "dev/raftledger/raftd/core/";
    static final List<String> ALLOWED = List.of(CORE, "dev/raftledger/common/wire/", "java/");
    /** Parts of the JDK the core must not touch: I/O, threads, clocks, unseeded randomness. */
    static final List<String> IMPURE = List.of("java/io/", "java/net/", "java/nio/", "java/time/",
            "java/util/concurrent/", "java/util/Random", "java/lang/Thread", "java/lang/Runtime",
            "java/lang/ProcessBuilder", "java/lang/reflect/");
    /** Methods of allowed classes that read a clock or draw unseeded random numbers. */
    static final Set<String> IMPURE_METHODS = Set.of("java/lang/System.currentTimeMillis",
            "java/lang/System.nanoTime", "java/lang/Math.random", "java/lang/System.getenv",
            "java/lang/System.getProperty");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;",
            Pattern.MULTILINE);
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    @Test
    void theSourcesImportOnlyTheWireRecordsAndTheJdk() throws IOException {
        List<String> bad = new ArrayList<>();
        int files = 0;
        for (Path source : coreFiles(sourceDir(), ".java")) {
            files++;
            bad.addAll(badImports(source.getFileName().toString(), Files.readString(source)));
        }
        assertTrue(files >= 10, "the core's sources were not found: " + files + " files");
        assertEquals(List.of(), bad, "the core imports what it must not (see docs/design.md)");
    }

    @Test
    void theCompiledClassesReferToNothingElse() throws IOException {
        List<String> bad = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        int classes = 0;
        for (Path file : coreFiles(classDir(), ".class")) {
            classes++;
            try (InputStream in = Files.newInputStream(file)) {
                for (String ref : references(in)) {
                    String problem = problem(ref);
                    if (problem != null) {
                        bad.add(file.getFileName() + " uses " + ref + " (" + problem + ")");
                    }
                    used.add(ref);
                }
            }
        }
        assertTrue(classes >= 15, "the core's classes were not found: " + classes + " files");
        assertTrue(used.contains("dev/raftledger/common/wire/AppendEntry"), "the scan sees nothing: " + used);
        assertEquals(List.of(), bad, "the core depends on what it must not (see docs/design.md)");
    }

    /** The checks themselves: a planted import or reference is caught, an allowed one is not. */
    @Test
    void theFenceCatchesWhatItMust() {
        assertEquals(List.of(), badImports("Ok.java", "package x;\nimport java.util.List;\n"
                + "import dev.raftledger.common.wire.AppendEntry;\nimport static java.lang.Math.max;\n"));
        assertEquals(3, badImports("Bad.java", "package x;\nimport dev.raftledger.raftd.store.HardStateStore;\n"
                + "import com.fasterxml.jackson.databind.JsonNode;\nimport java.net.*;\n").size());
        assertEquals(null, problem("java/util/List"));
        assertEquals(null, problem("dev/raftledger/common/wire/VoteAck"));
        assertEquals(null, problem(CORE + "Progress$State"));
        assertEquals("outside the fence", problem("dev/raftledger/raftd/driver/EventLoop"));
        assertEquals("outside the fence", problem("dev/raftledger/common/Csv"));
        assertEquals("impure", problem("java/util/concurrent/ThreadLocalRandom"));
        assertEquals("impure", problem("java/lang/Thread"));
        assertEquals("impure", problem("java/lang/System.nanoTime"));
        assertEquals(null, problem("java/lang/System.arraycopy"));
    }

    /** What is wrong with a reference (an internal class name, or Class.method), or null. */
    static String problem(String ref) {
        if (IMPURE_METHODS.contains(ref)) {
            return "impure";
        }
        String type = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
        if (ALLOWED.stream().noneMatch(type::startsWith)) {
            return "outside the fence";
        }
        return IMPURE.stream().anyMatch(type::startsWith) ? "impure" : null;
    }

    static List<String> badImports(String file, String source) {
        List<String> bad = new ArrayList<>();
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            String name = m.group(2).replace('.', '/');
            String what = m.group(1) != null ? name.substring(0, name.lastIndexOf('/')) : name;
            if (m.group(3) != null) {
                what = what + "/";
            }
            String problem = problem(what);
            if (problem != null) {
                bad.add(file + ": import " + m.group(2) + (m.group(3) != null ? ".*" : "") + " (" + problem + ")");
            }
        }
        return bad;
    }

    /**
     * Every class a class file refers to (its constant pool's classes, and the types in its
     * descriptors and signatures), and every method it calls, as "class.method".
     */
    static Set<String> references(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        int[] tag = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort(); // class, string, method type, module, package
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case 9, 10, 11, 12, 17, 18 -> { // refs, name-and-type, dynamic
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag[i] + " at " + i);
            }
        }
        Set<String> refs = new TreeSet<>();
        boolean[] literal = new boolean[count];
        for (int i = 1; i < count; i++) {
            if (tag[i] == 8) {
                literal[first[i]] = true;
            }
        }
        for (int i = 1; i < count; i++) {
            if (tag[i] == 7) {
                String name = utf8[first[i]];
                if (name.startsWith("[")) {
                    descriptorTypes(name, refs);
                } else {
                    refs.add(name);
                }
            } else if (tag[i] == 10 || tag[i] == 11) { // a method call: its class and name
                String owner = utf8[first[first[i]]];
                if (owner.startsWith("[")) { // a method of an array (clone): of its element type, or of Object
                    Matcher element = TYPE_IN_DESCRIPTOR.matcher(owner);
                    owner = element.find() ? element.group(1) : "java/lang/Object";
                }
                refs.add(owner + "." + utf8[first[second[i]]]);
            } else if (tag[i] == 1 && !literal[i]) {
                descriptorTypes(utf8[i], refs);
            }
        }
        return refs;
    }

    private static void descriptorTypes(String descriptor, Set<String> into) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static List<Path> coreFiles(Path dir, String suffix) throws IOException {
        assertTrue(Files.isDirectory(dir), "no directory " + dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Path sourceDir() {
        return Path.of(System.getProperty("basedir", "."), "src/main/java", CORE);
    }

    private static Path classDir() {
        try {
            return Path.of(RaftCore.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(CORE);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.raftledger.raftd.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.nativeimage.ClassFileReader.Call;
import dev.raftledger.raftd.nativeimage.ClassFileReader.ClassFacts;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The class-file reader finds calls in the right method, past switches of both kinds. */
class ClassFileReaderTest {

    /** Compiled by javac like our code; the reflective calls sit after switches whose padding the walk must get right. */
    @SuppressWarnings("unused")
    static final class Fixture {
        static Object dense(int i) throws Exception {
            switch (i) { // tableswitch
                case 1: i += 10; break;
                case 2: i += 20; break;
                case 3: i += 30; break;
                case 4: i += 40; break;
                default: break;
            }
            return Class.forName("java.lang.String" + i);
        }

        static Object sparse(int i) {
            switch (i) { // lookupswitch
                case 1: i += 1; break;
                case 1000: i += 2; break;
                case 100000: i += 3; break;
                default: break;
            }
            return Fixture.class.getResourceAsStream("x" + i);
        }

        static Function<String, InputStream> reference() {
            return ClassLoader::getSystemResourceAsStream;
        }

        static int plain(List<String> list) {
            return list.size();
        }
    }

    private static ClassFacts facts() throws IOException {
        try (InputStream in = ClassFileReaderTest.class.getResourceAsStream("ClassFileReaderTest$Fixture.class")) {
            return ClassFileReader.read(in.readAllBytes());
        }
    }

    private static List<String> sensitive(ClassFacts f) {
        return f.calls().stream().filter(c -> ReflectiveApis.sensitive(c.target()))
                .map(c -> c.inMethod() + " -> " + c.target().api()).sorted().toList();
    }

    @Test
    void findsEachReflectiveCallInItsMethod() throws IOException {
        ClassFacts f = facts();
        assertEquals(ClassFileReaderTest.Fixture.class.getName(), f.name());
        assertEquals(List.of(
                "(method handle) -> java.lang.ClassLoader.getSystemResourceAsStream",
                "dense -> java.lang.Class.forName",
                "sparse -> java.lang.Class.getResourceAsStream"), sensitive(f));
    }

    @Test
    void seesOrdinaryCallsAndClassesToo() throws IOException {
        ClassFacts f = facts();
        List<Call> plain = f.calls().stream().filter(c -> c.inMethod().equals("plain")).toList();
        assertEquals(1, plain.size(), plain.toString());
        assertEquals("java.util.List.size", plain.get(0).target().api());
        assertTrue(f.referencedClasses().contains("java/lang/Class"), f.referencedClasses().toString());
    }

    @Test
    void refusesWhatIsNotAClassFile() {
        assertThrows(IllegalArgumentException.class, () -> ClassFileReader.read(new byte[] {1, 2, 3, 4, 5}));
    }
}

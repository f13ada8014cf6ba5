package dev.raftledger.raftctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchCommandTest extends FakeClusterTest {

    @BeforeEach
    void electLeader() {
        cluster.electLeader("Node1", 3);
    }

    @Test
    void countTwoPrintsTwoTablesSeparatedByABlankLine() {
        Run run = Run.of(home, cluster.args("watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("NODE ")).count(), run.out());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("leader: Node1 (term 3)")).count(), run.out());
        assertTrue(lines.get(0).startsWith("watch: every 10 ms, ") && lines.get(0).endsWith("(1 of 2)"), lines.get(0));
        int second = lines.indexOf(lines.stream().filter(l -> l.endsWith("(2 of 2)")).findFirst().orElseThrow());
        assertEquals("", lines.get(second - 1), "a blank line between redraws");
        assertFalse(run.out().contains("\033["), "no escape codes when the output is not a terminal");
        assertEquals(2, cluster.node("Node3").received().size(), "one STATUS round per redraw");
    }

    @Test
    void clearsTheScreenOnATerminal() {
        Environment terminal = new Environment(Map.of(), home, () -> {
            throw new AssertionError("watch must not open the shell's terminal");
        }, true);

        Run run = Run.of(terminal, cluster.args("watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code());
        assertEquals(2, run.out().split(WatchCommand.CLEAR_SCREEN.replace("[", "\\["), -1).length - 1, run.out());
    }

    @Test
    void jsonIsOneStatusDocumentPerLine() throws Exception {
        Run run = Run.of(home, cluster.args("--json", "watch", "--count", "2", "--interval", "10"));

        assertEquals(0, run.code());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode doc = Codec.readTree(lines.get(i));
            assertEquals(i + 1, doc.get("redraw").asInt());
            assertEquals("Node1", doc.get("leader").asText());
            assertEquals(5, doc.get("nodes").size());
            assertTrue(doc.get("time").asText().endsWith("Z"));
        }
    }

    @Test
    void noAnswerInTheLastRoundIsExitStatusOne() {
        cluster.nodes().forEach(FakeNode::silent);

        Run run = Run.of(home, cluster.args("watch", "--count", "1"));

        assertEquals(1, run.code());
        assertTrue(run.out().contains("none of the 5 nodes answered"), run.out());
    }
}

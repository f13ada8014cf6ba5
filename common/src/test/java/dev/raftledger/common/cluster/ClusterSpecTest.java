package dev.raftledger.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSpecTest {

    private static final Ports PORTS = Ports.SEED;

    @Test
    void localFiveHasFiveNodesInOrderOnTheirOwnLoopbackAddresses() {
        ClusterSpec spec = ClusterSpec.localFive();
        assertEquals(List.of("Node1", "Node2", "Node3", "Node4", "Node5"), spec.names());
        assertEquals(5, spec.size());
        assertEquals(3, spec.quorum());
        for (int i = 1; i <= 5; i++) {
            NodeAddress node = spec.node("Node" + i).orElseThrow();
            assertEquals("127.0.0." + i, node.host());
            assertSame(Ports.SEED, node.ports());
        }
        assertEquals(ClusterSpec.LOCAL_FIVE, spec.toString());
    }

    @Test
    void orderOfTheSpecIsKeptNotSorted() {
        ClusterSpec spec = ClusterSpec.parse("Zed=10.0.0.9,Alpha=10.0.0.1,Mid=10.0.0.5", PORTS);
        assertEquals(List.of("Zed", "Alpha", "Mid"), spec.names());
        assertEquals(List.of("Zed", "Alpha", "Mid"), spec.nodes().stream().map(NodeAddress::name).toList());
    }

    @ParameterizedTest(name = "{0} nodes -> quorum {1}")
    @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "6,4", "7,4"})
    void quorumIsAStrictMajority(int size, int quorum) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            sb.append(i > 1 ? "," : "").append("N").append(i).append("=127.0.0.").append(i);
        }
        assertEquals(quorum, ClusterSpec.parse(sb.toString(), PORTS).quorum());
    }

    @Test
    void whitespaceAndEmptyItemsAreTolerated() {
        ClusterSpec spec = ClusterSpec.parse("  Node1 = 127.0.0.1 ,\tNode2=127.0.0.2,, Node3 =127.0.0.3 ,", PORTS);
        assertEquals(List.of("Node1", "Node2", "Node3"), spec.names());
        assertEquals("127.0.0.1", spec.node("Node1").orElseThrow().host());
        assertEquals("Node1=127.0.0.1,Node2=127.0.0.2,Node3=127.0.0.3", spec.toString());
    }

    @Test
    void hostNamesAndIpv6LiteralsAreAccepted() {
        ClusterSpec spec = ClusterSpec.parse("a=localhost,b=node-2.example.org,c=::1", PORTS);
        assertEquals("localhost", spec.node("a").orElseThrow().host());
        assertEquals("node-2.example.org", spec.node("b").orElseThrow().host());
        assertEquals("::1", spec.node("c").orElseThrow().host());
    }

    @Test
    void namesAreCaseSensitive() {
        ClusterSpec spec = ClusterSpec.parse("node1=127.0.0.1,Node1=127.0.0.2", PORTS);
        assertEquals(2, spec.size());
        assertTrue(spec.contains("Node1"));
        assertTrue(spec.contains("node1"));
        assertFalse(spec.contains("NODE1"));
        assertTrue(spec.node("NODE1").isEmpty());
    }

    @Test
    void nodeAddressesUseTheClustersPorts() {
        Ports ports = new Ports(7000, 7001, 7002, 6000);
        NodeAddress n = ClusterSpec.parse("Node3=127.0.0.3", ports).node("Node3").orElseThrow();
        assertEquals(new InetSocketAddress("127.0.0.3", 7000), n.appendEntry());
        assertEquals(new InetSocketAddress("127.0.0.3", 7001), n.requestVote());
        assertEquals(new InetSocketAddress("127.0.0.3", 7002), n.voteAck());
        assertEquals(new InetSocketAddress("127.0.0.3", 6000), n.controller());
    }

    @Test
    void toStringRoundTrips() {
        String text = "Alpha=10.1.2.3,beta_2=host.local,Gamma.3=127.0.0.7,d-4=::1";
        ClusterSpec spec = ClusterSpec.parse(text, PORTS);
        assertEquals(text, spec.toString());
        ClusterSpec again = ClusterSpec.parse(spec.toString(), PORTS);
        assertEquals(spec.nodes(), again.nodes());
    }

    @Test
    void returnedListsAreImmutable() {
        ClusterSpec spec = ClusterSpec.localFive();
        assertThrows(UnsupportedOperationException.class, () -> spec.names().add("Node6"));
        assertThrows(UnsupportedOperationException.class, () -> spec.nodes().clear());
    }

    // ---- errors ---------------------------------------------------------------------------------

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse(text, PORTS)).getMessage();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", ",", " , ,, "})
    void emptySpecIsRejected(String text) {
        assertTrue(error(text).contains("empty"), error(text));
    }

    @Test
    void nullSpecIsRejectedAsEmpty() {
        assertTrue(error(null).contains("empty"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Node1", "Node1=", "=127.0.0.1", "Node1=127.0.0.1,Node2", "Node1 127.0.0.1"})
    void memberWithoutNameEqualsHostIsRejected(String text) {
        String message = error(text);
        assertTrue(message.contains("Name=host"), message);
    }

    @Test
    void duplicateNameIsRejectedNamingTheNode() {
        String message = error("Node1=127.0.0.1,Node2=127.0.0.2,Node1=127.0.0.3");
        assertTrue(message.contains("Node1") && message.contains("twice"), message);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"No de", "Node!", "_Node", "-Node", ".Node", "Nöde", "Node/1", "Node\"1"})
    void badNameCharactersAreRejectedQuotingTheName(String name) {
        String message = error(name + "=127.0.0.1");
        assertTrue(message.contains("node name '" + name + "'"), message);
    }

    @Test
    void nameOf65CharactersIsRejectedAnd64Accepted() {
        String ok = "N".repeat(64);
        assertEquals(List.of(ok), ClusterSpec.parse(ok + "=127.0.0.1", PORTS).names());
        String tooLong = "N".repeat(65);
        assertTrue(error(tooLong + "=127.0.0.1").contains("node name"));
    }

    static Stream<String> badHosts() {
        return Stream.of("127.0.0.1/8", "host name", "a@b", "http://x", "x".repeat(254), "h#1", "[::1]");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badHosts")
    void badHostIsRejectedQuotingTheHostAndTheNode(String host) {
        String message = error("Node1=" + host);
        assertTrue(message.contains("host '" + host + "'") && message.contains("Node1"), message);
    }

    // ---- files ----------------------------------------------------------------------------------

    @Test
    void parseFileReadsOnePerLineWithComments(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.txt");
        Files.writeString(file, String.join("\n",
                "# the local test cluster",
                "Node1=127.0.0.1   # first",
                "",
                "   Node2=127.0.0.2",
                "Node3=127.0.0.3,Node4=127.0.0.4  ",
                "#Node9=127.0.0.9",
                "Node5=127.0.0.5,",
                ""));
        ClusterSpec spec = ClusterSpec.parseFile(file, PORTS);
        assertEquals(ClusterSpec.LOCAL_FIVE, spec.toString());
        assertEquals(PORTS, spec.ports());
    }

    @Test
    void parseFileErrorNamesTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad-cluster.txt");
        Files.writeString(file, "Node1=127.0.0.1\nNode1=127.0.0.2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parseFile(file, PORTS));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void parseFileOfOnlyCommentsIsEmpty(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.txt");
        Files.writeString(file, "# nothing here\n\n   # still nothing\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parseFile(file, PORTS));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void parseFileOfMissingFileThrowsIOException(@TempDir Path dir) {
        assertThrows(IOException.class, () -> ClusterSpec.parseFile(dir.resolve("absent.txt"), PORTS));
    }
}

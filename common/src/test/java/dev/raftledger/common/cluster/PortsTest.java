package dev.raftledger.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortsTest {

    @Test
    void seedPortsAreTheSeeds() {
        assertEquals(new Ports(9000, 9001, 9002, 5555), Ports.SEED);
        assertEquals(9000, Ports.SEED.appendEntry());
        assertEquals(9001, Ports.SEED.requestVote());
        assertEquals(9002, Ports.SEED.voteAck());
        assertEquals(5555, Ports.SEED.controller());
    }

    @Test
    void boundaryPortsAreAccepted() {
        Ports p = new Ports(1, 2, 65534, 65535);
        assertEquals(1, p.appendEntry());
        assertEquals(65535, p.controller());
    }

    @ParameterizedTest(name = "port {0} in position {1}")
    @CsvSource({"0,0", "0,3", "-1,1", "65536,2", "70000,3", "-65535,0"})
    void outOfRangePortIsRejected(int bad, int position) {
        int[] p = {9000, 9001, 9002, 5555};
        p[position] = bad;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ports(p[0], p[1], p[2], p[3]));
        assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }

    @ParameterizedTest(name = "positions {0} and {1}")
    @CsvSource({"0,1", "0,2", "0,3", "1,2", "1,3", "2,3"})
    void duplicatePortIsRejectedWhicheverTwoCollide(int i, int j) {
        int[] p = {9000, 9001, 9002, 5555};
        p[j] = p[i];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ports(p[0], p[1], p[2], p[3]));
        assertTrue(e.getMessage().contains(String.valueOf(p[i])) && e.getMessage().contains("twice"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {9000, 9001, 9002})
    void controllerPortMustDifferFromPeerPorts(int controller) {
        assertThrows(IllegalArgumentException.class, () -> new Ports(9000, 9001, 9002, controller));
    }
}

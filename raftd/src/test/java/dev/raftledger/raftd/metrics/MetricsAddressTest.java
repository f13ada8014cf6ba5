package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsAddressTest {

    @Test
    void aBarePortListensOnTheDefaultHost() {
        assertEquals(new MetricsAddress("10.0.0.3", 9100), MetricsAddress.parse("9100", "10.0.0.3"));
    }

    @Test
    void hostAndPortAndBracketedIpv6() {
        assertEquals(new MetricsAddress("0.0.0.0", 9100), MetricsAddress.parse("0.0.0.0:9100", "10.0.0.3"));
        assertEquals(new MetricsAddress("node3.example", 80), MetricsAddress.parse(" node3.example:80 ", "x"));
        MetricsAddress v6 = MetricsAddress.parse("[::1]:9100", "x");
        assertEquals(new MetricsAddress("::1", 9100), v6);
        assertEquals("[::1]:9100", v6.toString());
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        assertMessage("9x", "'9x' is not a port number");
        assertMessage("0", "out of range 1-65535");
        assertMessage("65536", "out of range 1-65535");
        assertMessage("host:-1", "out of range");
        assertMessage(":9100", "no host before ':'");
        assertMessage("::1:9100", "IPv6 address in brackets");
        assertMessage("", "is not a port number");
    }

    private static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsAddress.parse(spec, "127.0.0.1"));
        assertTrue(e.getMessage().contains(expected), "'" + spec + "': " + e.getMessage());
    }
}

package dev.raftledger.raftd.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.rig.NetRig.LinkFault;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rig's faults do what the chaos and liveness tests rely on, measured with the kernel's
 * own counters: datagrams sent to a closed UDP port of a namespace are counted there
 * ({@code Udp NoPorts}), so the count says how many arrived. Cuts drop everything, one way
 * only where asked, and never the clients'; loss drops about its share, per IP fragment (a
 * datagram of three fragments survives 20 % loss about half the time); duplication delivers
 * about its share twice (and is checked here loudly, since nft's {@code dup} without the
 * mark copies its own copies); tbf holds a burst back. It says whether the kernel has netem
 * (this machine's has not).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NetRigIT {

    private static final int PORT = 7;  // nothing listens there: arrivals count as NoPorts
    private static final int N = 500;

    private NetRig rig;

    @BeforeEach
    void build() {
        NetRig.requireRig();
        rig = NetRig.create(3);
    }

    @AfterEach
    void cleanUp() {
        if (rig != null) {
            rig.close();
        }
    }

    /** How many of {@code count} datagrams of {@code bytes} from one namespace reach another. */
    private long delivered(String from, String to, String toAddress, int count, int bytes) {
        long before = rig.snmp(to, "Udp").get("NoPorts");
        rig.sendDatagrams(from, toAddress, PORT, count, bytes);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long arrived = rig.snmp(to, "Udp").get("NoPorts") - before;
        while (System.nanoTime() < deadline) { // a tbf queue may still be draining
            RigCluster.pause(200);
            long now = rig.snmp(to, "Udp").get("NoPorts") - before;
            if (now == arrived) {
                break;
            }
            arrived = now;
        }
        return arrived;
    }

    private long node1ToClients(int bytes) {
        return delivered(rig.nodeNamespace(1), rig.clientNamespace(), NetRig.CLIENT_ADDRESS, N, bytes);
    }

    @Test
    void cutsDropEverythingOneWayOnlyWhereAskedAndNeverTheClients() {
        String n1 = rig.nodeNamespace(1);
        String n2 = rig.nodeNamespace(2);
        String n3 = rig.nodeNamespace(3);
        assertEquals(N, delivered(n1, n2, NetRig.nodeAddress(2), N, 100), "a healthy link delivers all");

        rig.cutOneWay(1, Set.of(2));
        assertEquals(0, delivered(n1, n2, NetRig.nodeAddress(2), N, 100), "1 -> 2 is cut");
        assertEquals(N, delivered(n2, n1, NetRig.nodeAddress(1), N, 100), "2 -> 1 still works");
        assertEquals(N, delivered(n1, n3, NetRig.nodeAddress(3), N, 100), "1 -> 3 still works");

        rig.partition(List.of(Set.of(1), Set.of(2, 3)));
        assertEquals(0, delivered(n3, n1, NetRig.nodeAddress(1), N, 100), "3 -> 1 is cut");
        assertEquals(0, delivered(n1, n3, NetRig.nodeAddress(3), N, 100), "1 -> 3 is cut");
        assertEquals(N, delivered(n2, n3, NetRig.nodeAddress(3), N, 100), "inside a side all works");
        assertEquals(N, delivered(rig.clientNamespace(), n1, NetRig.nodeAddress(1), N, 100), "clients reach node 1");
        assertEquals(N, node1ToClients(100), "node 1 reaches the clients");

        rig.clearCuts();
        assertEquals(N, delivered(n1, n3, NetRig.nodeAddress(3), N, 100), "healed");
    }

    @Test
    void lossActsPerPacketSoPerFragment() {
        rig.link(1, new LinkFault(20, 0, 0));
        long small = node1ToClients(100);
        long large = node1ToClients(4_000); // three fragments on a 1500-byte MTU
        System.out.printf("NetRigIT: 20%% loss delivered %d of %d small datagrams and %d of %d of 4,000 bytes%n",
                small, N, large, N);
        assertTrue(small > 0.70 * N && small < 0.90 * N, "about 80% of small datagrams: " + small);
        assertTrue(large > 0.40 * N && large < 0.63 * N, "about 51% (0.8^3) of three-fragment datagrams: " + large);
        rig.link(1, LinkFault.NONE);
        assertEquals(N, node1ToClients(4_000), "healed");
    }

    @Test
    void duplicationDeliversSomeDatagramsTwice() {
        rig.link(1, new LinkFault(0, 50, 0));
        long small = node1ToClients(100);
        long large = node1ToClients(4_000);
        System.out.printf("NetRigIT: 50%% duplication delivered %d datagrams for %d small ones sent, %d for %d of "
                + "4,000 bytes (reassembly drops duplicate fragments)%n", small, N, large, N);
        assertTrue(small > 1.35 * N && small < 1.65 * N,
                "DUPLICATION DOES NOT WORK on this kernel: about 750 arrivals expected, " + small + " seen");
        assertEquals(N, large, "duplicated fragments are dropped by reassembly: each large datagram arrives once");
        rig.link(1, LinkFault.NONE);
        assertEquals(N, node1ToClients(100), "healed");
    }

    @Test
    void tbfHoldsABurstBack() {
        System.out.println(rig.netemAvailable() ? "NetRigIT: this kernel has netem, but the rig does not use it"
                : "NetRigIT: no netem on this kernel (sch_netem missing): slow links are tbf alone, no added delay");
        rig.link(1, new LinkFault(0, 0, 512));
        long shaped = node1ToClients(1_400);
        System.out.printf("NetRigIT: tbf 512 kbit/s delivered %d of a burst of %d datagrams of 1,400 bytes%n", shaped, N);
        assertTrue(shaped < N / 2, "tbf drops most of a burst beyond its 200 ms queue: " + shaped);
        rig.link(1, LinkFault.NONE);
        assertEquals(N, node1ToClients(1_400), "healed");
    }
}

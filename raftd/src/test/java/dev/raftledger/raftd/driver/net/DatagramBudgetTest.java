package dev.raftledger.raftd.driver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A write's one-entry size (what decides ERROR TOO_LARGE) is computed from the size of its bytes,
 * not by encoding an AppendEntry for each write: it must be exactly what encoding gives, with and
 * without a key and a cluster id, for any leader name and entry.
 */
class DatagramBudgetTest {

    private static final String SECRET = "5f1c0a9e2d7b48c3a6e1f0d9b8c7a6e5f4d3c2b1a09f8e7d6c5b4a3928170615";
    private static final long WIDEST = (1L << 53) - 1;

    private static int encoded(DatagramBudget b, String self, Payload data) {
        AppendEntry widest = new AppendEntry(WIDEST, self, WIDEST - 2, WIDEST, self,
                List.of(new Entry(WIDEST - 1, WIDEST, data)), WIDEST, WIDEST);
        return b.peerSealedSize(Codec.encode(widest));
    }

    @Test
    void theOneEntrySizeIsWhatEncodingGives() {
        ClusterAuth keyed = ClusterAuth.forNode(Keyring.of(List.of(SECRET), Map.of()), "Node1");
        List<DatagramBudget> budgets = List.of(new DatagramBudget(1400, ClusterAuth.none()),
                new DatagramBudget(1400, ClusterAuth.none(), "0123456789abcdef0123456789abcdef"),
                new DatagramBudget(9000, keyed, "0123456789abcdef0123456789abcdef"), new DatagramBudget(1200, keyed));
        List<Payload> entries = List.of(Payload.NOOP, Payload.ofJson("{\"op\":\"add\",\"description\":\"café 😀 \\\"q\\\"\"}"),
                Payload.ofJson("{\"d\":\"" + "x".repeat(5_000) + "\"}"));
        for (DatagramBudget b : budgets) {
            for (String self : List.of("Node1", "a-much-longer-leader-name.example.org", "Node1")) {
                for (Payload p : entries) {
                    assertEquals(encoded(b, self, p), b.oneEntrySize(self, p), self + " " + p.size());
                    assertEquals(encoded(b, self, p) <= b.maxBytes(), b.entryFits(self, p));
                }
            }
        }
    }
}

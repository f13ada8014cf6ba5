package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reply a leader sends for each write it applies is streamed ({@link ExpenseReply#toBytes},
 * {@link Codec#encodeReply}) instead of built as a tree: byte for byte what the tree gave.
 */
class ExpenseReplyBytesTest {

    @Test
    void theStreamedReplyIsTheTreesBytes() throws Exception {
        Ledger ledger = new Ledger();
        LedgerResult added = ledger.apply(3, 1, new Ledger.Stamp(1_796_601_600_000L, 60_000L, "alice"),
                Fixtures.add("c1", 1, "12.5", "EUR", "café \"q\" \\", "lunch 😀", "zoë", "2026-11-25"));
        LedgerResult plain = ledger.apply(4, 1, Fixtures.lunch("c2", 1));
        LedgerResult deleted = ledger.apply(5, 2, Fixtures.delete("c1", 2, "E3"));
        LedgerResult refused = ledger.apply(6, 2, Fixtures.delete("c1", 3, "E3"));
        LedgerResult invalid = LedgerResult.error(ErrorCode.INVALID, null, "amount: must be greater than 0, got 0");
        for (LedgerResult r : List.of(added, plain, deleted, refused, invalid)) {
            for (ExpenseReply reply : List.of(new ExpenseReply(r, 7L, 2L), new ExpenseReply(r, null, null))) {
                assertArrayEquals(Codec.toBytes(reply.toJson()), reply.toBytes(), reply.toString());
                ControllerMessage header = new ControllerMessage("Node1", "EXPENSE", 2L, TextNode.valueOf("RESULT"), null);
                ControllerMessage whole = new ControllerMessage("Node1", "EXPENSE", 2L, TextNode.valueOf("RESULT"),
                        reply.toJson());
                assertArrayEquals(Codec.encode(whole), Codec.encodeReply(header, reply.toBytes()), reply.toString());
            }
        }
    }
}

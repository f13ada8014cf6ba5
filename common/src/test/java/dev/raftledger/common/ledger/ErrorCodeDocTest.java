package dev.raftledger.common.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every refusal a ledger result can carry is in docs/protocol.md's table of them. */
class ErrorCodeDocTest {

    @Test
    void everyCodeHasARowInProtocolMd() throws IOException {
        String doc = Files.readString(Path.of("../docs/protocol.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("| `error` (in a result) | meaning |");
        assertTrue(start >= 0, "docs/protocol.md has no table of result errors");
        String table = doc.substring(start, doc.indexOf("\n\n", start));
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(table.contains("| `" + code.name() + "` |"), "docs/protocol.md's result errors lack " + code);
        }
    }
}

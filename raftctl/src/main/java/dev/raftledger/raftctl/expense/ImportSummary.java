package dev.raftledger.raftctl.expense;

import java.util.List;

/**
 * What an import did: rows read, expenses imported (their ids), rows skipped and why, and
 * {@code stoppedAt}, the line at which the cluster stopped answering (null if it did not), with
 * the rows after it not sent.
 */
record ImportSummary(String file, int rows, int imported, List<String> ids, List<Skipped> skipped, Integer stoppedAt,
                     int notSent, String clientId) {

    /** One row not imported and why. */
    record Skipped(int line, String error) {}
}

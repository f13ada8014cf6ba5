/**
 * Serving the controller port (the course convention and the project's additions): one
 * dispatcher ({@code ControllerHandler}) for every request, the ledger's and the membership
 * requests, linearizable reads, pending writes answered once they commit (or at once when
 * leadership is lost), and the replies, built with the typed protocol of {@code common.wire}.
 * Everything here runs on the event loop.
 */
package dev.raftledger.raftd.driver.control;

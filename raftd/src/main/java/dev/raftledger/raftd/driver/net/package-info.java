/**
 * The network: one UDP socket per port role (AppendEntry, RequestVote, VoteAck, Controller), a
 * listener thread per socket that decodes, checks and counts each datagram before it reaches the
 * event loop, the sender thread with its urgent and bulk queues, the datagram size budget, and
 * the peers' addresses, looked up again off the sending path. Bad input is counted and logged at
 * a bounded rate here; nothing in this package blocks the event loop.
 */
package dev.raftledger.raftd.driver.net;

/**
 * Snapshots as the driver handles them: when to take one, copying the state on the event loop
 * and writing it on a thread of its own, sending it to a follower in datagram-sized chunks with
 * flow control, and installing one received. The files themselves are
 * {@code raftd.store.snapshot}'s.
 */
package dev.raftledger.raftd.driver.snapshot;

/**
 * The driver: carries out what the pure core ({@code raftd.core}) asks for. This package holds
 * the node's assembly ({@code RaftNode}), the single-threaded event loop that owns the core and
 * the replicated state ({@code EventLoop}, {@code LoopEvent}, {@code Applier},
 * {@code ReplicatedState}), group commit of the log ({@code Persister}, {@code DurableEntryLog})
 * and the node's counters and event log lines. Its subpackages each have one job:
 * {@code net} (sockets, listeners, the sender, datagram sizes, peers' addresses),
 * {@code control} (serving the controller port), {@code snapshot} (taking, sending and
 * installing snapshots) and {@code start} (configuration, start-up state, JIT warm-up).
 * docs/design.md, "The threads of a node", says which thread runs what.
 */
package dev.raftledger.raftd.driver;

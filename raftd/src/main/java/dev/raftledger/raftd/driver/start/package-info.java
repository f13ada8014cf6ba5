/**
 * Start-up: the node's checked configuration, the state it starts from (hard state, log and
 * snapshot read from the data dir), and the JIT warm-up that runs the hot paths before the
 * ports open.
 */
package dev.raftledger.raftd.driver.start;

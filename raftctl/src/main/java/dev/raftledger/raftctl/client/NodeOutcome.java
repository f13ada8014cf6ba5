package dev.raftledger.raftctl.client;

/**
 * What came of a request to one node (timeout, convert-follower, kill); {@code error} is null
 * exactly when {@code ok}.
 */
public record NodeOutcome(String node, String address, String request, boolean ok, String state, Long term, String error) {}

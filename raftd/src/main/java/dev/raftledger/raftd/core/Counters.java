package dev.raftledger.raftd.core;

/** The core's running totals since start, reported by STATUS. */
public record Counters(long electionsStarted, long electionsWon, long votesGranted, long votesDenied,
                       long heartbeatsSent, long heartbeatsReceived, long staleMessages,
                       long entriesAppended, long appendsRejected) {}

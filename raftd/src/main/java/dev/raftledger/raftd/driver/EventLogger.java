package dev.raftledger.raftd.driver;

import dev.raftledger.raftd.core.CoreEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the core's events as one log line each, in the seed's words where it has them. */
final class EventLogger {

    private static final Logger LOG = LoggerFactory.getLogger("raftd");

    private final String self;

    EventLogger(String self) {
        this.self = self;
    }

    void log(CoreEvent event) {
        if (event instanceof CoreEvent.RoleChanged e) {
            LOG.info("{} is in term {} with state as {}", self, e.term(), e.role().wireName());
        } else if (event instanceof CoreEvent.ElectionStarted e) {
            LOG.info("{} started an election for term {} ({})", self, e.term(), e.reason());
        } else if (event instanceof CoreEvent.VoteGranted e) {
            LOG.info("{} voted for {} in term {}", self, e.candidate(), e.term());
        } else if (event instanceof CoreEvent.VoteDenied e) {
            LOG.info("{} denied its vote to {} for term {}: {}", self, e.candidate(), e.term(), e.reason());
        } else if (event instanceof CoreEvent.LeaderElected e) {
            LOG.info("{} is the leader of term {} with {} of {} votes", self, e.term(), e.votes(), e.clusterSize());
        } else if (event instanceof CoreEvent.ElectionLost e) {
            LOG.info("{} lost the election for term {} ({} of {} refused); trying again in {} ms",
                    self, e.term(), e.refusals(), e.clusterSize(), e.retryInMs());
        } else if (event instanceof CoreEvent.LeaderUnreachable e) {
            LOG.info("{}: leader {} of term {} is gone (silent {} ms, and its host says nothing listens on its "
                    + "port); starting an election in {} ms", self, e.leader(), e.term(), e.silentMs(), e.electionInMs());
        } else if (event instanceof CoreEvent.SteppedDown e) {
            LOG.warn("{} stepped down as leader of term {}: {}", self, e.term(), e.reason());
        } else if (event instanceof CoreEvent.LeaderKnown e) {
            LOG.info("{} follows leader {} in term {}", self, e.leader(), e.term());
        } else if (event instanceof CoreEvent.TransferStarted e) {
            LOG.info("{} is handing leadership of term {} to {} ({})", self, e.term(), e.target(),
                    e.lagEntries() == 0 ? "caught up: told to start its election now"
                            : "catching it up first: " + e.lagEntries() + " entries behind");
        } else if (event instanceof CoreEvent.TransferAborted e) {
            LOG.warn("{} keeps leading term {}: the transfer to {} did not finish ({})", self, e.term(), e.target(),
                    e.reason());
        } else if (event instanceof CoreEvent.SnapshotNeeded e) {
            LOG.info("{} will send {} its latest snapshot: it needs entry {}, and this log starts after {}", self,
                    e.peer(), e.next(), e.snapshotIndex());
        } else if (event instanceof CoreEvent.SnapshotInstalled e) {
            LOG.info("{} installed a snapshot from {} through index {} (term {}); {}", self, e.leader(),
                    e.snapshot().index(), e.snapshot().term(), e.keptSuffix() ? "the entries after it were kept"
                            : "the log starts after it");
        } else if (event instanceof CoreEvent.MembershipChanged e) {
            LOG.info("{} members now (configuration at index {}, {}): {}", self, e.index(),
                    e.committed() ? "committed" : "not yet committed", e.config());
        } else if (event instanceof CoreEvent.ProtocolAnomaly e) {
            LOG.warn("{}: protocol anomaly: {}", self, e.description());
        }
    }
}

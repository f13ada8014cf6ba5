package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.ClusterConfig;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who takes part, as one node sees it (Raft thesis 4.1 and 4.2), derived from the configuration
 * in force ({@code config}, the latest in the log) and the committed one ({@code committed},
 * the latest at or before the commit index), after etcd's {@code tracker.Config}.
 * {@link RaftCore} recomputes it only when either changes, which is rare.
 *
 * <p>An immutable value: safe from any thread. Invalid names are not its concern (the
 * configurations have checked them).
 *
 * @param self          this node
 * @param voters        the voters of {@code config}: only they vote, and only their
 *                      acknowledgements count toward commitment, reads and check-quorum
 * @param electionPeers the voters other than this node: whom a candidate asks for votes
 * @param targets       every node the leader replicates to: the members of {@code config}
 *                      and, while the change that removed them is not committed, those of
 *                      {@code committed} too (so a removed node most likely learns it was
 *                      removed, and stays quiet), this node excepted
 * @param selfVoter     whether this node is a voter of {@code config}
 */
record Topology(String self, ClusterConfig config, ClusterConfig committed, List<String> voters,
                List<String> electionPeers, List<String> targets, boolean selfVoter) {

    /** What {@code self} takes part in, given the configuration in force and the committed one. */
    static Topology of(String self, ClusterConfig config, ClusterConfig committed) {
        List<String> electionPeers = config.voters().stream().filter(v -> !v.equals(self)).toList();
        LinkedHashSet<String> targets = new LinkedHashSet<>(config.names());
        targets.addAll(committed.names());
        targets.remove(self);
        return new Topology(self, config, committed, config.voters(), electionPeers, List.copyOf(targets),
                config.isVoter(self));
    }

    /** How many voters make a majority of the configuration in force. */
    int quorum() {
        return Quorum.of(voters.size());
    }

    /**
     * Whether this node may start an election: it is a voter of the configuration in force, or of
     * the committed one (thesis 4.2.2: a voter that a change not yet committed removes may still
     * be needed to commit that change, having the longest log; it then counts no vote of its own).
     * A learner, or a node whose removal it knows is committed, never campaigns.
     */
    boolean mayCampaign() {
        return selfVoter || committed.isVoter(self);
    }

    /**
     * Whether a vote request from {@code candidate} is answered: it is another member of the
     * configuration in force or of the committed one, as {@link #mayCampaign} lets both
     * campaign; a node whose removal is committed is ignored, so it cannot disrupt the cluster
     * (thesis 4.2.3).
     */
    boolean isCandidateMember(String candidate) {
        return !candidate.equals(self) && (config.isMember(candidate) || committed.isMember(candidate));
    }
}

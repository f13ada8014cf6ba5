package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.VoteAck;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Raft state machine of one node: leader election per the Raft paper, section 5.2, with the
 * voting restriction of section 5.4.1.
 *
 * <p>It is pure and deterministic: it opens no socket, reads no clock, starts no thread and
 * draws random numbers only from the generator it is given. The driver passes the current time
 * (monotonic milliseconds) into every call, calls {@link #tick} once {@link #nextDeadline()} has
 * passed, and carries out each returned {@link Output} in the order it documents. Not
 * thread-safe: one event loop owns it.
 */
public final class RaftCore {

    private final String self;
    private final List<String> peers;
    private final int quorum;
    private final Timings timings;
    private final RandomGenerator random;

    private long term;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    private String leader;
    private LogPosition lastLog;
    private final Set<String> votesReceived = new HashSet<>();
    private final Set<String> votesRefused = new HashSet<>();

    private long electionDeadline;
    private long heartbeatDeadline;
    private long lastHeartbeatReceivedAt = -1;
    private long lastHeartbeatSentAt = -1;
    /** The term whose leader was last reported in an event, so each term's leader is logged once. */
    private long leaderAnnouncedInTerm = -1;

    private long electionsStarted;
    private long electionsWon;
    private long votesGranted;
    private long votesDenied;
    private long heartbeatsSent;
    private long heartbeatsReceived;
    private long staleMessages;

    /**
     * @param self      this node's name; must be one of {@code members}
     * @param members   every voting member, this node included
     * @param persisted the hard state read from stable storage ({@link HardState#INITIAL} on first start)
     * @param lastLog   the position of the last entry of this node's log
     * @param random    the only source of randomness (election timeouts); seed it to replay a run
     * @param now       the current time, in milliseconds of the driver's monotonic clock
     */
    public RaftCore(String self, List<String> members, Timings timings, HardState persisted,
                    LogPosition lastLog, RandomGenerator random, long now) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException(self + " is not a member of " + members);
        }
        if (Set.copyOf(members).size() != members.size()) {
            throw new IllegalArgumentException("members are named twice: " + members);
        }
        this.self = self;
        this.peers = members.stream().filter(m -> !m.equals(self)).toList();
        this.quorum = members.size() / 2 + 1;
        this.timings = Objects.requireNonNull(timings);
        this.random = Objects.requireNonNull(random);
        this.term = persisted.term();
        this.votedFor = persisted.votedFor();
        this.lastLog = Objects.requireNonNull(lastLog);
        resetElectionTimer(now);
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** Handles one message from a peer. Messages from non-members are ignored. */
    public Output step(PeerMessage message, long now) {
        Output.Builder out = new Output.Builder();
        if (!peers.contains(message.sender())) {
            staleMessages++;
            return out.build();
        }
        if (message instanceof RequestVote rv) {
            onRequestVote(rv, now, out);
        } else if (message instanceof VoteAck ack) {
            onVoteAck(ack, now, out);
        } else if (message instanceof AppendEntry ae) {
            onAppendEntry(ae, now, out);
        }
        return out.build();
    }

    /** Fires whatever timer is due at {@code now}: a leader's heartbeat or an election timeout. */
    public Output tick(long now) {
        Output.Builder out = new Output.Builder();
        if (role == Role.LEADER) {
            if (now >= heartbeatDeadline) {
                broadcastHeartbeat(now, out);
            }
        } else if (now >= electionDeadline) {
            startElection(now, role == Role.CANDIDATE ? "election timed out without a winner"
                    : "no heartbeat from a leader", out);
        }
        return out.build();
    }

    /** The controller's TIMEOUT: the election timer fires at once, whatever the role. */
    public Output forceElection(long now) {
        Output.Builder out = new Output.Builder();
        startElection(now, "controller TIMEOUT", out);
        return out.build();
    }

    /** The controller's CONVERT_FOLLOWER: a leader or candidate steps down, keeping its term. */
    public Output convertToFollower(long now) {
        Output.Builder out = new Output.Builder();
        if (role != Role.FOLLOWER) {
            leader = null;
            becomeFollower(now, out);
        }
        return out.build();
    }

    /** The earliest time at which {@link #tick} has something to do. */
    public long nextDeadline() {
        return role == Role.LEADER ? heartbeatDeadline : electionDeadline;
    }

    // ---- message handlers --------------------------------------------------------------------

    private void onRequestVote(RequestVote rv, long now, Output.Builder out) {
        String candidate = rv.candidateId();
        if (!peers.contains(candidate)) {
            staleMessages++;
            return;
        }
        if (rv.term() > term) {
            adoptTerm(rv.term(), null, now, out);
        }
        String denial = voteDenialReason(rv);
        boolean grant = denial == null;
        if (grant) {
            votedFor = candidate;
            out.persist(hardState());
            resetElectionTimer(now);
            votesGranted++;
            out.event(new CoreEvent.VoteGranted(candidate, term));
        } else {
            votesDenied++;
            out.event(new CoreEvent.VoteDenied(candidate, rv.term(), denial));
        }
        out.send(new Outbound(candidate, new VoteAck(term, grant, self, candidate)));
    }

    /** Why this node must not vote for the candidate, or null if it may. */
    private String voteDenialReason(RequestVote rv) {
        if (rv.term() < term) {
            return "its term " + rv.term() + " is older than ours (" + term + ")";
        }
        if (votedFor != null && !votedFor.equals(rv.candidateId())) {
            return "already voted for " + votedFor + " in term " + term;
        }
        LogPosition theirs = new LogPosition(rv.lastLogIndex(), rv.lastLogTerm());
        if (!theirs.isAtLeastAsUpToDateAs(lastLog)) {
            return "its log (last index " + theirs.index() + ", term " + theirs.term()
                    + ") is behind ours (last index " + lastLog.index() + ", term " + lastLog.term() + ")";
        }
        return null;
    }

    private void onVoteAck(VoteAck ack, long now, Output.Builder out) {
        if (ack.term() > term) {
            adoptTerm(ack.term(), null, now, out);
            return;
        }
        // A vote counts only in the election it was cast for: same term, addressed to us,
        // while we are still a candidate. Anything else is stale and ignored.
        if (role != Role.CANDIDATE || ack.term() < term || !self.equals(ack.to())) {
            staleMessages++;
            return;
        }
        if (ack.granted()) {
            votesReceived.add(ack.from());
            if (votesReceived.size() >= quorum) {
                becomeLeader(now, out);
            }
        } else if (votesRefused.add(ack.from()) && votesRefused.size() == refusalsThatLose()) {
            retrySoon(now, out);
        }
    }

    /** With this many refusals a majority is out of reach: N - refusals < quorum. */
    private int refusalsThatLose() {
        return peers.size() + 1 - quorum + 1;
    }

    /**
     * Enough voters refused that this election cannot be won (a split vote, or another candidate
     * won). Waiting a whole new election timeout, as plain Raft does, roughly doubles the
     * failover time after a split; instead retry after a short random delay. Its floor leaves
     * time for the winner's first heartbeat, if there is a winner, to arrive and end the retry.
     * Only timing changes: every safety rule stays as it is.
     */
    private void retrySoon(long now, Output.Builder out) {
        long lo = Math.max(1, timings.heartbeatMs() / 4);
        long delay = random.nextLong(lo, timings.heartbeatMs() + 1);
        electionDeadline = Math.min(electionDeadline, now + delay);
        out.event(new CoreEvent.ElectionLost(term, votesRefused.size(), peers.size() + 1, electionDeadline - now));
    }

    private void onAppendEntry(AppendEntry ae, long now, Output.Builder out) {
        if (ae.term() < term) {
            staleMessages++; // a deposed leader; it learns the new term from the new leader
            return;
        }
        if (!peers.contains(ae.leaderId())) {
            staleMessages++;
            return;
        }
        if (ae.term() == term && role == Role.LEADER) {
            out.event(new CoreEvent.ProtocolAnomaly("two leaders in term " + term + ": "
                    + self + " and " + ae.leaderId()));
            return;
        }
        if (ae.term() > term) {
            adoptTerm(ae.term(), ae.leaderId(), now, out);
        } else if (role == Role.CANDIDATE) {
            // Section 5.2: a candidate that hears from a leader of its own term steps down.
            becomeFollower(now, out);
        }
        leader = ae.leaderId();
        if (leaderAnnouncedInTerm != term) {
            leaderAnnouncedInTerm = term;
            out.event(new CoreEvent.LeaderKnown(leader, term));
        }
        heartbeatsReceived++;
        lastHeartbeatReceivedAt = now;
        resetElectionTimer(now);
    }

    // ---- transitions -------------------------------------------------------------------------

    /** A higher term was seen: adopt it, forget the vote, and follow ({@code leader} if known). */
    private void adoptTerm(long newTerm, String newLeader, long now, Output.Builder out) {
        term = newTerm;
        votedFor = null;
        leader = newLeader;
        out.persist(hardState());
        becomeFollower(now, out);
    }

    private void becomeFollower(long now, Output.Builder out) {
        role = Role.FOLLOWER;
        votesReceived.clear();
        votesRefused.clear();
        resetElectionTimer(now);
        out.event(new CoreEvent.RoleChanged(term, role));
    }

    private void startElection(long now, String reason, Output.Builder out) {
        term++;
        votedFor = self;
        role = Role.CANDIDATE;
        leader = null;
        votesReceived.clear();
        votesReceived.add(self);
        votesRefused.clear();
        electionsStarted++;
        resetElectionTimer(now);
        out.persist(hardState());
        out.event(new CoreEvent.RoleChanged(term, role));
        out.event(new CoreEvent.ElectionStarted(term, reason));
        for (String peer : peers) {
            out.send(new Outbound(peer, RequestVote.of(term, self, lastLog.index(), lastLog.term())));
        }
        if (votesReceived.size() >= quorum) {
            becomeLeader(now, out);
        }
    }

    private void becomeLeader(long now, Output.Builder out) {
        role = Role.LEADER;
        leader = self;
        leaderAnnouncedInTerm = term;
        electionsWon++;
        out.event(new CoreEvent.RoleChanged(term, role));
        out.event(new CoreEvent.LeaderElected(term, votesReceived.size(), peers.size() + 1));
        votesReceived.clear();
        broadcastHeartbeat(now, out);
    }

    private void broadcastHeartbeat(long now, Output.Builder out) {
        for (String peer : peers) {
            out.send(new Outbound(peer, AppendEntry.heartbeat(term, self, lastLog.index(), lastLog.term())));
        }
        heartbeatsSent += peers.size();
        lastHeartbeatSentAt = now;
        heartbeatDeadline = now + timings.heartbeatMs();
    }

    /** A fresh timeout drawn uniformly from [min, max] ms, as the seed does at every reset. */
    private void resetElectionTimer(long now) {
        electionDeadline = now + random.nextLong(timings.electionMinMs(), timings.electionMaxMs() + 1);
    }

    // ---- queries -----------------------------------------------------------------------------

    public HardState hardState() {
        return new HardState(term, votedFor);
    }

    public String name() {
        return self;
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    /** The leader this node knows of in its current term (itself if leader), or null. */
    public String leader() {
        return leader;
    }

    public CoreStatus status(long now) {
        // A leader reports the heartbeat it last sent; anyone else the one it last received.
        long at = role == Role.LEADER ? lastHeartbeatSentAt : lastHeartbeatReceivedAt;
        long age = at < 0 ? -1 : now - at;
        return new CoreStatus(self, role, term, votedFor, leader, age, lastLog,
                new Counters(electionsStarted, electionsWon, votesGranted, votesDenied,
                        heartbeatsSent, heartbeatsReceived, staleMessages));
    }
}

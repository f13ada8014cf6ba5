package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.AppendEntry;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.ControllerError;
import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.common.wire.PeerMessage;
import dev.raftledger.common.wire.RequestVote;
import dev.raftledger.common.wire.SnapshotAck;
import dev.raftledger.common.wire.TimeoutNow;
import dev.raftledger.common.wire.VoteAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Raft state machine of one node: leader election (Raft paper, section 5.2), log
 * replication (5.3), the voting and commitment restrictions (5.4), and the leader's no-op entry
 * at the start of its term (section 8).
 *
 * <p>It is pure and deterministic: it opens no socket, reads no clock, starts no thread and
 * draws random numbers only from the generator it is given. The driver passes the current time
 * (monotonic milliseconds) into every call, calls {@link #tick} once {@link #nextDeadline()} has
 * passed, and carries out each returned {@link Output} in the order it documents. Not
 * thread-safe: one event loop owns it.
 *
 * <p>How it reads, after etcd's {@code raft.go}: {@link #step} drops what may not be handled at
 * all, applies the term rules in one place ({@code stepTerm}: adopt a newer term, refuse or
 * drop an older one), then hands the message to one method per role ({@code stepLeader},
 * {@code stepCandidate}, {@code stepFollower}); {@link #tick} likewise to {@code tickLeader} or
 * {@code tickElection}. What the leader knows of each follower, and how that changes, is
 * {@link Progress}; the majority arithmetic (commit index, election results) is
 * {@link Quorum}; the ReadIndex rounds are {@link ReadQueue}; who takes part is
 * {@link Topology}; the checks a membership change must pass are {@link ConfigChanges}; the log and its configurations are {@link MemoryLog}
 * and {@link ConfigLog}. Each has its own tests; {@code TermStepTest} tabulates the term rules
 * and the dispatch, and {@code CoreFenceTest} keeps this package to the wire records and the JDK.
 */
public final class RaftCore {

    private final String self;
    private final Timings timings;
    private final Limits limits;
    private final RandomGenerator random;
    /** This process's identity in replies, so a leader can tell a restarted follower (see AppendReply). */
    private final long incarnation;

    private long term;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    private String leader;
    private final MemoryLog log;
    /** Who takes part as of the configuration in force and the committed one; see {@link #topo()}. */
    private Topology topology;
    /** The configuration last reported in a {@link CoreEvent.MembershipChanged} event. */
    private ClusterConfig announced;
    /** The last index durable in this node's own log (reported by the driver). */
    private long persistedIndex;
    private long commitIndex = -1;
    /** The last committed index handed to the driver to apply. */
    private long appliedIndex = -1;
    /** The leader's view of each follower; empty unless leader. */
    private final Map<String, Progress> progress = new HashMap<>();
    /** The leader's linearizable reads in progress, and the numbers of its confirmation rounds. */
    private final ReadQueue reads = new ReadQueue();
    private final Set<String> votesReceived = new HashSet<>();
    private final Set<String> votesRefused = new HashSet<>();
    private long checkQuorumDeadline;
    /** The follower this leader is handing leadership to (thesis 3.10), or null. */
    private String transferTarget;
    /** When this node last became leader. */
    private long ledSince;
    /** When an unfinished transfer is given up. */
    private long transferDeadline;
    /** When TIMEOUT_NOW was last sent to the transfer's target (-1: not yet). */
    private long timeoutNowSentAt = -1;
    /** A quick retry was used since a leader was last known: the next loss waits a full timeout. */
    private boolean retriedSoon;

    private long electionDeadline;
    /** When a follower checks its silent leader's port next ({@link Limits#checkLeaderPort}). */
    private long portCheckDeadline = Long.MAX_VALUE;
    /** A port check went to the leader since it was last heard: only then is an answer evidence. */
    private boolean portChecked;
    /** The leader's host said nothing listens on its port, and the leader has not been heard since. */
    private boolean leaderGone;
    /** When a (pre-)candidate asks again the voters that have not answered (see {@link #askUnanswered}). */
    private long voteResendDeadline = Long.MAX_VALUE;
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
    private long entriesAppended;
    private long appendsRejected;

    /**
     * @param self      this node's name; must be one of {@code members}
     * @param members   every voting member, this node included
     * @param persisted the hard state read from stable storage ({@link HardState#INITIAL} on first start)
     * @param recovered this node's durable log, in index order from 0
     * @param random    the only source of randomness (election timeouts); seed it to replay a run
     * @param now       the current time, in milliseconds of the driver's monotonic clock
     */
    public RaftCore(String self, List<String> members, Timings timings, Limits limits, HardState persisted,
                    List<Entry> recovered, RandomGenerator random, long now) {
        // One incarnation for every start: restarts look like one process, so the leader never
        // takes a refusal for news of lost entries. raftd passes its boot count instead.
        this(self, members, timings, limits, persisted, recovered, random, now, 1);
    }

    /**
     * As above, with this process's {@code incarnation}: a number that grows with every start of
     * the node (raftd's boot count), so a leader can tell replies from a follower's earlier
     * process from its current one's.
     */
    public RaftCore(String self, List<String> members, Timings timings, Limits limits, HardState persisted,
                    List<Entry> recovered, RandomGenerator random, long now, long incarnation) {
        this(self, members, timings, limits, persisted, LogPosition.EMPTY, recovered, random, now, incarnation);
    }

    /**
     * As above, for a node restarted from a snapshot that stands for every entry up to
     * {@code snapshot}; {@code recovered} holds the entries after it. Everything the snapshot
     * covers is committed and applied (the driver loads the state machine from it).
     */
    public RaftCore(String self, List<String> members, Timings timings, Limits limits, HardState persisted,
                    LogPosition snapshot, List<Entry> recovered, RandomGenerator random, long now,
                    long incarnation) {
        this(self, votersIncluding(self, members), timings, limits, persisted, snapshot, recovered, random, now,
                incarnation);
    }

    /**
     * The general form, with membership changes (Raft thesis, chapter 4): {@code base} is the
     * configuration in force before the first entry of {@code recovered}: the one the snapshot
     * holds if there is a snapshot, else the initial member list ({@code --cluster}). From then on
     * the latest configuration entry in the log rules (see {@link #config()}). This node need not
     * be a voter of it, or a member at all: a node joining the cluster starts as a learner (or an
     * outsider) and never campaigns until a configuration in its log makes it a voter.
     */
    public RaftCore(String self, ClusterConfig base, Timings timings, Limits limits, HardState persisted,
                    LogPosition snapshot, List<Entry> recovered, RandomGenerator random, long now,
                    long incarnation) {
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be positive: " + incarnation);
        }
        ClusterConfig.checkName(self);
        this.self = self;
        this.timings = Objects.requireNonNull(timings);
        this.limits = Objects.requireNonNull(limits);
        this.random = Objects.requireNonNull(random);
        this.incarnation = incarnation;
        this.log = new MemoryLog(snapshot, Objects.requireNonNull(base, "base"), recovered);
        // A term below the log's last term cannot come from this node's own running (it adopts a
        // term before appending anything of it): a hand-made or half-restored data dir. Start in
        // the log's term, with no vote, or a leader of a lower term would append behind entries
        // of a higher one. Persisted with the next vote or term change, like any term adopted.
        long logTerm = log.last().term();
        this.term = Math.max(persisted.term(), logTerm);
        this.votedFor = persisted.term() >= logTerm ? persisted.votedFor() : null;
        this.announced = log.configs().latest();
        this.persistedIndex = log.lastIndex();
        this.commitIndex = snapshot.index();
        this.appliedIndex = snapshot.index();
        resetElectionTimer(now);
    }

    /**
     * A node whose log ends at {@code lastLog} (filled with no-op entries of that term): for
     * tests of elections, where only the log's last position matters.
     */
    public RaftCore(String self, List<String> members, Timings timings, HardState persisted,
                    LogPosition lastLog, RandomGenerator random, long now) {
        this(self, members, timings, Limits.DEFAULT, persisted, filler(lastLog), random, now);
    }

    /** The classic form's membership: every member a voter, this node among them. */
    private static ClusterConfig votersIncluding(String self, List<String> members) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException(self + " is not a member of " + members);
        }
        if (Set.copyOf(members).size() != members.size()) {
            throw new IllegalArgumentException("members are named twice: " + members);
        }
        return ClusterConfig.ofVoters(members);
    }

    private static List<Entry> filler(LogPosition last) {
        List<Entry> entries = new ArrayList<>();
        for (long i = 0; i <= last.index(); i++) {
            entries.add(new Entry(i, last.term(), Payload.NOOP));
        }
        return entries;
    }

    // ---- messages: the term rules once (stepTerm), then one step per role -----------------------

    /**
     * Handles one message from a peer. Who may send what depends on the configuration in force
     * (thesis 4.1 and 4.2.3): votes are asked of and counted from voters only, and a node ignores
     * candidates that are not members of its configuration (so a removed node cannot disrupt
     * the cluster); but it follows any leader of a current term, member or not, since a leader
     * added while this node was away is still the leader.
     */
    public Output step(PeerMessage message, long now) {
        Output.Builder out = new Output.Builder();
        if (admissible(message, now) && stepTerm(message, now, out)) {
            switch (role) {
                case LEADER -> stepLeader(message, now, out);
                case CANDIDATE, PRE_CANDIDATE -> stepCandidate(message, now, out);
                case FOLLOWER -> stepFollower(message, now, out);
                default -> throw new IllegalStateException("unknown role " + role);
            }
        }
        syncConfig(now, out);
        return out.build();
    }

    /**
     * Whether {@code m} may be handled at all, whatever its term: not from this node itself; a
     * vote request only from a member ({@link #isCandidateMember}) or from a candidate that may
     * have been added by a configuration this node has not seen ({@link #mayBeNewerMember}); a
     * vote only from a voter
     * (only voters are asked, and only voters count); an AppendEntry only from the leader it
     * names (a leader speaks for itself only); a TIMEOUT_NOW only addressed to this node, and
     * only if it may campaign. Anything else is counted as stale and dropped.
     */
    private boolean admissible(PeerMessage m, long now) {
        boolean ok;
        if (m.sender().equals(self)) {
            ok = false;
        } else if (m instanceof RequestVote rv) {
            ok = isCandidateMember(rv.candidateId()) || mayBeNewerMember(rv, now);
        } else if (m instanceof VoteAck ack) {
            ok = topo().voters().contains(ack.from());
        } else if (m instanceof AppendEntry ae) {
            ok = ae.leaderId().equals(ae.sender());
        } else if (m instanceof TimeoutNow t) {
            ok = self.equals(t.to()) && mayCampaign();
        } else {
            ok = m instanceof AppendReply || m instanceof InstallSnapshot || m instanceof SnapshotAck;
        }
        if (!ok) {
            staleMessages++;
        }
        return ok;
    }

    /**
     * The term rules, for every message in one place (figure 2, "all servers"; thesis 9.6 for
     * pre-votes). Returns whether the message goes on to this node's role.
     * <ul>
     *   <li>A higher term is adopted ({@link #adoptTerm}): this node follows, the leader that
     *       sent it if an AppendEntry, InstallSnapshot or TIMEOUT_NOW did. An answer (a vote, an
     *       AppendReply, a SnapshotAck) has then done its work and goes no further. A pre-vote
     *       request and a granted pre-vote carry a proposed term, not the sender's: never
     *       adopted.</li>
     *   <li>A lower term: a vote request goes on, to be refused with this node's term by the
     *       vote rules (so the candidate learns it); an AppendEntry or InstallSnapshot is refused
     *       with this node's term, so the deposed leader steps down; anything else is stale.</li>
     * </ul>
     */
    private boolean stepTerm(PeerMessage m, long now, Output.Builder out) {
        long msgTerm = m.term();
        if (msgTerm > term) {
            boolean proposedTerm = (m instanceof RequestVote rv && rv.preVote())
                    || (m instanceof VoteAck ack && ack.preVote() && ack.granted());
            if (proposedTerm) {
                return true;
            }
            String newLeader = m instanceof AppendEntry ae ? ae.leaderId()
                    : m instanceof InstallSnapshot is ? is.leaderId()
                    : m instanceof TimeoutNow t ? t.from() : null;
            adoptTerm(msgTerm, newLeader, now, out);
            return !(m instanceof VoteAck || m instanceof AppendReply || m instanceof SnapshotAck);
        }
        if (msgTerm < term) {
            if (m instanceof RequestVote) {
                return true;
            }
            staleMessages++;
            if (m instanceof AppendEntry ae) {
                out.send(new Outbound(ae.leaderId(), AppendReply.refused(term, self, ae.leaderId(),
                        ae.prevLogIndex(), -1, 0)));
            } else if (m instanceof InstallSnapshot is) {
                out.send(new Outbound(is.leaderId(), AppendReply.refused(term, self, is.leaderId(), -1, -1, 0)));
            }
            return false;
        }
        return true;
    }

    /**
     * The leader, of the message's term or with a pre-vote request: answers votes (refusing
     * them), its followers' replies and snapshot acknowledgements. Another leader of the same
     * term would break election safety: reported, never obeyed.
     */
    private void stepLeader(PeerMessage m, long now, Output.Builder out) {
        if (m instanceof RequestVote rv) {
            onVoteRequest(rv, now, out);
        } else if (m instanceof AppendReply reply) {
            onAppendReply(reply, now, out);
        } else if (m instanceof SnapshotAck ack) {
            onSnapshotAck(ack, now, out);
        } else if (m instanceof AppendEntry || m instanceof InstallSnapshot) {
            String other = m instanceof AppendEntry ae ? ae.leaderId() : ((InstallSnapshot) m).leaderId();
            out.event(new CoreEvent.ProtocolAnomaly("two leaders in term " + term + ": " + self + " and " + other));
        } else {
            staleMessages++; // votes, TIMEOUT_NOW: they are for candidates and followers
        }
    }

    /**
     * A candidate or pre-candidate: counts the votes of its election, and steps down to follow
     * a leader of its term (section 5.2).
     */
    private void stepCandidate(PeerMessage m, long now, Output.Builder out) {
        if (m instanceof VoteAck ack) {
            if (ack.preVote()) {
                onPreVoteAck(ack, now, out);
            } else {
                onVoteAck(ack, now, out);
            }
        } else if (m instanceof AppendEntry || m instanceof InstallSnapshot) {
            becomeFollower(now, out);
            stepFollower(m, now, out);
        } else if (m instanceof RequestVote rv) {
            onVoteRequest(rv, now, out);
        } else if (m instanceof TimeoutNow t) {
            onTimeoutNow(t, now, out);
        } else {
            staleMessages++; // AppendReply, SnapshotAck: answers to a leader, of this term: not ours
        }
    }

    /** A follower: follows the leader of its term, answers votes, obeys TIMEOUT_NOW from its leader. */
    private void stepFollower(PeerMessage m, long now, Output.Builder out) {
        if (m instanceof AppendEntry ae) {
            followLeader(ae.leaderId(), now, out);
            heartbeatsReceived++;
            acceptEntries(ae, out);
        } else if (m instanceof InstallSnapshot is) {
            followLeader(is.leaderId(), now, out);
            onInstallSnapshot(is, out);
        } else if (m instanceof RequestVote rv) {
            onVoteRequest(rv, now, out);
        } else if (m instanceof TimeoutNow t) {
            onTimeoutNow(t, now, out);
        } else {
            staleMessages++; // votes, AppendReply, SnapshotAck: for candidates and leaders
        }
    }

    /** A vote request, in any role: a pre-vote or a real one. */
    private void onVoteRequest(RequestVote rv, long now, Output.Builder out) {
        if (rv.preVote()) {
            onPreVote(rv, now, out);
        } else {
            onRequestVote(rv, now, out);
        }
    }

    // ---- other inputs: writes, reads, durability, timers, the controller ------------------------

    /**
     * The leader appends new entries (client writes) and starts replicating them. Returns the
     * entries with their indices and term, so the driver can tell when each commits; empty (and
     * nothing changes) if this node is not the leader or is handing leadership over (see
     * {@link #transferTarget()}): the target must catch up with a log that stops growing.
     */
    public Proposal propose(List<Payload> data, long now) {
        Output.Builder out = new Output.Builder();
        if (role != Role.LEADER || transferTarget != null || data.isEmpty()) {
            return new Proposal(List.of(), out.build());
        }
        for (Payload p : data) {
            if (ClusterConfig.isConfig(p)) {
                // only changeConfig may write one: it keeps to one change at a time
                throw new IllegalArgumentException("a configuration is proposed with changeConfig, not propose: " + p);
            }
        }
        List<Entry> added = new ArrayList<>(data.size());
        for (Payload p : data) {
            Entry e = new Entry(log.lastIndex() + 1, term, p);
            log.append(e);
            out.append(e);
            added.add(e);
        }
        entriesAppended += added.size();
        for (String peer : topo().targets()) {
            sendAppend(peer, progress.get(peer), false, now, out);
        }
        maybeCommit(now, out); // a one-node cluster commits once its own log is durable
        syncConfig(now, out);
        return new Proposal(added, out.build());
    }

    /**
     * A linearizable read (Raft section 8, ReadIndex): the leader notes its commit index and
     * starts a round of heartbeats; once a majority has answered that round (or a later one), no
     * other leader can have committed anything newer, and the read may be served as soon as
     * this node has applied up to the noted index. A leader that has not yet committed an entry
     * of its own term first waits for its no-op to commit. The outcome comes in
     * {@link Output#reads()}, now or in a later output.
     */
    public Output readIndex(long id, long now) {
        Output.Builder out = new Output.Builder();
        if (role != Role.LEADER) {
            out.read(new ReadResult(id, -1, false));
        } else if (log.term(commitIndex) != term) {
            reads.awaitTermCommit(id);
        } else {
            startReadRound(List.of(id), now, out);
        }
        return out.build();
    }

    private void startReadRound(List<Long> ids, long now, Output.Builder out) {
        Topology t = topo();
        long round = reads.startRound(ids, commitIndex, t.selfVoter() ? self : null);
        if (t.selfVoter() && t.quorum() == 1) {
            confirmReads(self, round, out);
            return;
        }
        for (String peer : t.targets()) {
            sendAppend(peer, progress.get(peer), true, now, out);
        }
    }

    /** {@code from} answered the round {@code round} in this term: it still follows this leader. */
    private void confirmReads(String from, long round, Output.Builder out) {
        for (ReadResult r : reads.confirm(from, round, topo().voters())) {
            out.read(r);
        }
    }

    /** Leadership is lost: every read in progress is refused, to be retried at the new leader. */
    private void failReads(Output.Builder out) {
        for (ReadResult r : reads.failAll()) {
            out.read(r);
        }
    }

    /** What {@link #propose} appended, and the output to carry out. */
    public record Proposal(List<Entry> entries, Output output) {}

    /**
     * The driver's report that this node's log is durable up to {@code index}: a leader counts
     * itself toward commitment only from here.
     */
    public Output persisted(long index, long now) {
        Output.Builder out = new Output.Builder();
        long durable = Math.min(index, log.lastIndex());
        if (durable > persistedIndex) {
            persistedIndex = durable;
            if (role == Role.LEADER) {
                maybeCommit(now, out);
                syncConfig(now, out);
            }
        }
        return out.build();
    }

    /** Fires whatever timer is due at {@code now}: a leader's heartbeat or an election timeout. */
    public Output tick(long now) {
        Output.Builder out = new Output.Builder();
        if (role == Role.LEADER) {
            tickLeader(now, out);
        } else {
            tickElection(now, out);
        }
        return out.build();
    }

    /** The leader's timers: check-quorum, the transfer's deadline, the heartbeat. */
    private void tickLeader(long now, Output.Builder out) {
        if (limits.checkQuorum() && now >= checkQuorumDeadline && !checkQuorum(now, out)) {
            return;
        }
        if (transferTarget != null && now >= transferDeadline) {
            abortTransfer("it did not take over within " + timings.electionMaxMs() + " ms", out);
        }
        if (now >= heartbeatDeadline) {
            heartbeat(now, out);
        }
    }

    /** Everyone else's timers: the election timeout, and a follower's check of a silent leader's port. */
    private void tickElection(long now, Output.Builder out) {
        if (checkingLeaderPort() && now >= portCheckDeadline && now < electionDeadline) {
            out.checkPort(leader);
            portChecked = true;
            portCheckDeadline = now + Math.max(1, timings.heartbeatMs() / 4); // again, if that one was lost
        }
        if (campaigning() && now >= voteResendDeadline && now < electionDeadline) {
            askUnanswered(now, out);
        }
        if (now < electionDeadline) {
            return;
        }
        if (!mayCampaign()) {
            // A learner, or a node outside the configuration, never campaigns (thesis 4.2.1 and
            // 4.2.3): it waits to be told it is a voter, by an entry from a leader.
            if (role != Role.FOLLOWER) {
                becomeFollower(now, out);
            }
            resetElectionTimer(now);
            return;
        }
        String reason = role == Role.CANDIDATE ? "election timed out without a winner"
                : role == Role.PRE_CANDIDATE ? "pre-vote timed out" : "no heartbeat from a leader";
        if (limits.preVote()) {
            startPreVote(now, reason, out);
        } else {
            startElection(now, reason, out);
        }
    }

    /** The controller's TIMEOUT: the election timer fires at once, whatever the role (on voters only). */
    public Output forceElection(long now) {
        Output.Builder out = new Output.Builder();
        if (mayCampaign()) {
            startElection(now, "controller TIMEOUT", out);
        }
        return out.build();
    }

    /** The controller's CONVERT_FOLLOWER: a leader or candidate steps down, keeping its term. */
    public Output convertToFollower(long now) {
        Output.Builder out = new Output.Builder();
        if (role != Role.FOLLOWER) {
            leader = null;
            becomeFollower(now, out);
            resetElectionTimer(now);
        }
        return out.build();
    }

    /** The earliest time at which {@link #tick} has something to do. */
    public long nextDeadline() {
        if (role != Role.LEADER) {
            long next = checkingLeaderPort() ? Math.min(electionDeadline, portCheckDeadline) : electionDeadline;
            return campaigning() ? Math.min(next, voteResendDeadline) : next;
        }
        long next = limits.checkQuorum() ? Math.min(heartbeatDeadline, checkQuorumDeadline) : heartbeatDeadline;
        return transferTarget != null ? Math.min(next, transferDeadline) : next;
    }

    /**
     * Check-quorum, every shortest election timeout: a leader steps down unless enough voters to
     * make a majority (itself included) have answered it within the longest election timeout
     * ({@link #inReach}: any answer of this term counts, a refusal, a late or stale reply, a
     * snapshot acknowledgement; a new leader counts from its election). So a leader cut off from
     * the cluster stops serving instead of leading alone, within the longest election timeout and
     * a check; and one whose followers still hear it is kept: a follower that has heard nothing
     * for that long has started an election anyway, and one that answered more recently may have
     * lost only a heartbeat or two on a lossy link. Returns whether it is still leader.
     */
    private boolean checkQuorum(long now, Output.Builder out) {
        Topology t = topo();
        int heard = t.selfVoter() ? 1 : 0;
        for (String v : t.electionPeers()) {
            Progress pr = progress.get(v);
            heard += pr != null && inReach(pr, now) ? 1 : 0;
        }
        checkQuorumDeadline = now + timings.electionMinMs();
        if (Quorum.isMajority(heard, t.voters().size())) {
            return true;
        }
        out.event(new CoreEvent.SteppedDown(term, "heard from only " + heard + " of " + t.voters().size()
                + " voters in the last " + timings.electionMaxMs() + " ms"));
        leader = null;
        becomeFollower(now, out);
        resetElectionTimer(now);
        return false;
    }

    // ---- elections (section 5.2; pre-vote, thesis 9.6) ------------------------------------------

    /**
     * Pre-vote (Raft thesis 9.6): before raising its term, a node asks whether it could win.
     * Its term and vote stay as they are, so a node that was cut off, whose timer kept firing,
     * cannot depose a leader the others still hear: they refuse its pre-votes.
     */
    private void startPreVote(long now, String reason, Output.Builder out) {
        failReads(out);
        role = Role.PRE_CANDIDATE;
        leader = null;
        votesReceived.clear();
        votesReceived.add(self);
        votesRefused.clear();
        resetElectionTimer(now);
        out.event(new CoreEvent.RoleChanged(term, role));
        if (electionWon()) {
            startElection(now, reason + "; pre-vote won", out);
            return;
        }
        askUnanswered(now, out);
    }

    /** Whether this node is asking for votes or pre-votes, and asks again ({@link Limits#askAgain}). */
    private boolean campaigning() {
        return limits.askAgain() && (role == Role.CANDIDATE || role == Role.PRE_CANDIDATE);
    }

    private long resendInterval() {
        return Math.max(1, timings.heartbeatMs() / 2);
    }

    /**
     * A (pre-)candidate asks each voter that has not answered for its vote: every voter when its
     * election starts, and, with {@link Limits#askAgain}, again every half heartbeat interval
     * while the election is open: over UDP a request or its answer may be lost, and at a
     * cluster's launch a voter whose process was not yet listening never got the first request.
     * Without asking again, either costs a whole election timeout. It is safe: a pre-vote changes
     * nothing, and a voter that already voted for this candidate in this term grants the same
     * vote again (and saves nothing, its hard state being the same).
     */
    private void askUnanswered(long now, Output.Builder out) {
        RequestVote ask = role == Role.PRE_CANDIDATE
                ? RequestVote.preVote(term + 1, self, log.lastIndex(), log.lastTerm())
                : RequestVote.of(term, self, log.lastIndex(), log.lastTerm());
        for (String peer : topo().electionPeers()) {
            if (!votesReceived.contains(peer) && !votesRefused.contains(peer)) {
                out.send(new Outbound(peer, ask));
            }
        }
        voteResendDeadline = now + resendInterval();
    }

    /**
     * A pre-vote is granted to a candidate whose log is up to date, for a term beyond ours, unless
     * we lead or heard from a leader within the lease (the shortest election timeout less half a
     * heartbeat interval: a live leader's heartbeats always fall within it, a dead one's do not by
     * the time any timer fires). Granting changes nothing here: no term, no vote, no timer.
     */
    private void onPreVote(RequestVote rv, long now, Output.Builder out) {
        String denial = null;
        if (rv.term() <= term) {
            denial = "its term " + rv.term() + " is not beyond ours (" + term + ")";
        } else if (role == Role.LEADER) {
            denial = "this node leads term " + term;
        } else if (leaderHeardWithinLease(now)) {
            denial = "leader " + leader + " was heard " + (now - lastHeartbeatReceivedAt) + " ms ago";
        } else if (!new LogPosition(rv.lastLogIndex(), rv.lastLogTerm()).isAtLeastAsUpToDateAs(log.last())) {
            denial = "its log is behind ours";
        }
        boolean grant = denial == null;
        if (grant && leaderGone && role == Role.FOLLOWER) {
            // on evidence that the leader is gone: let this candidate have its turn, campaign later if it fails
            resetElectionTimer(now);
        }
        // granted: the proposed term; refused: ours, so a candidate that is behind learns it
        out.send(new Outbound(rv.candidateId(), new VoteAck(grant ? rv.term() : term, grant, self,
                rv.candidateId(), true)));
    }

    /** A pre-vote answer of this node's proposed term counts only while it is a pre-candidate. */
    private void onPreVoteAck(VoteAck ack, long now, Output.Builder out) {
        if (role != Role.PRE_CANDIDATE || !self.equals(ack.to()) || ack.term() != term + 1) {
            staleMessages++;
            return;
        }
        if (ack.granted()) {
            votesReceived.add(ack.from());
            if (electionWon()) {
                startElection(now, "pre-vote won", out);
            }
        } else {
            votesRefused.add(ack.from());
        }
    }

    /** Section 5.2 and 5.4.1: one vote per term, for a candidate whose log is up to date. */
    private void onRequestVote(RequestVote rv, long now, Output.Builder out) {
        String candidate = rv.candidateId();
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
        LogPosition ours = log.last();
        if (!theirs.isAtLeastAsUpToDateAs(ours)) {
            return "its log (last index " + theirs.index() + ", term " + theirs.term()
                    + ") is behind ours (last index " + ours.index() + ", term " + ours.term() + ")";
        }
        return null;
    }

    private void onVoteAck(VoteAck ack, long now, Output.Builder out) {
        // A vote counts only in the election it was cast for: same term (stepTerm dropped older
        // ones), addressed to us, while we are still a candidate. Anything else is stale and ignored.
        if (role != Role.CANDIDATE || !self.equals(ack.to())) {
            staleMessages++;
            return;
        }
        if (ack.granted()) {
            votesReceived.add(ack.from());
            if (electionWon()) {
                becomeLeader(now, out);
            }
        } else if (votesRefused.add(ack.from())
                && votesRefused.size() == Quorum.refusalsToLose(topo().voters().size())) {
            retrySoon(now, out);
        }
    }

    /** Whether the votes received (this node's own among them) make a majority of the voters. */
    private boolean electionWon() {
        return Quorum.voteResult(topo().voters(), votesReceived, votesRefused) == Quorum.VoteResult.WON;
    }

    /**
     * Enough voters refused that this election cannot be won (a split vote, or another candidate
     * won). Waiting a whole new election timeout, as plain Raft does, roughly doubles the
     * failover time after a split; instead retry after a short random delay. Its floor leaves
     * time for the winner's first heartbeat, if there is a winner, to arrive and end the retry.
     * Only timing changes: every safety rule stays as it is.
     */
    private void retrySoon(long now, Output.Builder out) {
        if (retriedSoon) {
            // Once only: a node that keeps losing (its log may be behind) must not keep raising
            // the term faster than an up-to-date node's timer can fire.
            return;
        }
        retriedSoon = true;
        long lo = Math.max(1, timings.heartbeatMs() / 4);
        long delay = random.nextLong(lo, timings.heartbeatMs() + 1);
        electionDeadline = Math.min(electionDeadline, now + delay);
        out.event(new CoreEvent.ElectionLost(term, votesRefused.size(), topo().voters().size(),
                electionDeadline - now));
    }

    // ---- following a leader (section 5.3) -------------------------------------------------------

    /**
     * What every message from the leader of this node's term (AppendEntry, InstallSnapshot) does
     * first, once {@link #stepTerm} has adopted its term and a candidate has stepped down: this
     * node follows {@code from}, and its election timer starts over.
     */
    private void followLeader(String from, long now, Output.Builder out) {
        leader = from;
        if (leaderAnnouncedInTerm != term) {
            leaderAnnouncedInTerm = term;
            out.event(new CoreEvent.LeaderKnown(leader, term));
        }
        lastHeartbeatReceivedAt = now;
        retriedSoon = false;
        resetElectionTimer(now);
        // a heartbeat is late once a tenth of an interval has passed on top of it
        portCheckDeadline = now + timings.heartbeatMs() + Math.max(1, timings.heartbeatMs() / 10);
        portChecked = false;
        leaderGone = false;
    }

    /** Section 5.3: the consistency check, then conflicting entries replaced and new ones appended. */
    private void acceptEntries(AppendEntry ae, Output.Builder out) {
        long prev = ae.prevLogIndex();
        long prevTerm = ae.prevLogTerm();
        List<Entry> entries = ae.entries();
        LogPosition snapshot = log.snapshot();
        if (prev < snapshot.index()) {
            // Our snapshot covers prev and some of the entries: all committed here, so they match
            // the leader's log (leader completeness). Resume the check at the snapshot's end.
            int covered = (int) Math.min(entries.size(), snapshot.index() - prev);
            if (covered == entries.size() && prev + covered < snapshot.index()) {
                out.send(new Outbound(leader, AppendReply.accepted(term, self, leader, prev + covered)
                        .withReadSeq(ae.readSeq()).withIncarnation(incarnation)));
                return;
            }
            entries = entries.subList(covered, entries.size());
            prev = snapshot.index();
            prevTerm = snapshot.term();
        }
        if (prev > log.lastIndex()) {
            appendsRejected++;
            out.send(new Outbound(leader, AppendReply.refused(term, self, leader, prev, log.lastIndex() + 1, 0)
                    .withReadSeq(ae.readSeq()).withIncarnation(incarnation)));
            return;
        }
        if (prev >= 0 && log.term(prev) != prevTerm) {
            if (prev <= commitIndex) {
                out.event(new CoreEvent.ProtocolAnomaly("leader " + leader + " disagrees with committed entry " + prev));
            }
            appendsRejected++;
            long conflictTerm = log.term(prev);
            out.send(new Outbound(leader, AppendReply.refused(term, self, leader, prev,
                    log.firstIndexOfTermAt(prev), conflictTerm).withReadSeq(ae.readSeq()).withIncarnation(incarnation)));
            return;
        }
        for (Entry e : entries) {
            if (e.index() <= log.lastIndex()) {
                if (log.term(e.index()) == e.term()) {
                    continue; // already have it (log matching: so everything before it matches too)
                }
                if (e.index() <= commitIndex) {
                    out.event(new CoreEvent.ProtocolAnomaly("leader " + leader + " would overwrite committed entry "
                            + e.index() + "; refusing"));
                    return;
                }
                log.truncateFrom(e.index());
                out.truncate(e.index());
                persistedIndex = Math.min(persistedIndex, e.index() - 1);
            }
            log.append(e);
            out.append(e);
            entriesAppended++;
        }
        long lastNew = prev + entries.size();
        if (ae.leaderCommit() > commitIndex) {
            commitIndex = Math.max(commitIndex, Math.min(ae.leaderCommit(), lastNew));
            emitApply(out);
        }
        // The acknowledgement may leave only once what it acknowledges is durable here.
        out.send(new Outbound(leader, AppendReply.accepted(term, self, leader, lastNew).withReadSeq(ae.readSeq())
                .withIncarnation(incarnation),
                lastNew));
    }

    // ---- the leader's side: answers, replication (sections 5.3, 5.4) ----------------------------

    /** A follower's answer to this leader's AppendEntry, of this term. */
    private void onAppendReply(AppendReply r, long now, Output.Builder out) {
        Progress pr = progress.get(r.from());
        if (pr == null) {
            staleMessages++;
            return;
        }
        pr.heard(now); // every answer counts for check-quorum: refusals, late or stale ones too
        if (r.readSeq() > 0) {
            confirmReads(r.from(), r.readSeq(), out); // a refusal confirms leadership too
        }
        if (pr.fromOlderProcess(r.incarnation())) {
            // From the follower's previous process, overtaken by its current one: what it says
            // about the log may no longer hold (that process may have lost its unsynced tail).
            staleMessages++;
            return;
        }
        if (r.success()) {
            pr.acceptedBy(r.incarnation(), now);
            if (r.matchIndex() > log.lastIndex()) {
                out.event(new CoreEvent.ProtocolAnomaly(r.from() + " acknowledged " + r.matchIndex()
                        + " beyond our last index " + log.lastIndex()));
                return;
            }
            pr.accepted(r.matchIndex(), now); // a probe answered, or a snapshot installed: REPLICATE
            maybeCommit(now, out);
            if (r.from().equals(transferTarget)) {
                continueTransfer(now, out);
            }
            sendAppend(r.from(), pr, false, now, out);
            return;
        }
        if (pr.state() == Progress.State.SNAPSHOT) {
            staleMessages++; // a refused heartbeat: the snapshot under way is the answer
            return;
        }
        if (r.conflictIndex() < 0) {
            // A refusal of a request from an older term of ours (we led before, were deposed, and
            // lead again): it says nothing about the follower's log.
            staleMessages++;
            return;
        }
        if (r.conflictTerm() == 0 && pr.lostAcknowledged(r.conflictIndex(), r.incarnation())) {
            // A restarted follower whose log ends before what it acknowledged: it lost entries (a
            // wiped data dir, a damaged disk). Raft assumes that never happens; rather than ignore
            // its refusals forever, start over from where its log really ends. (The same
            // incarnation never loses what it acknowledged: from it, such a refusal is only a late
            // answer to an older request, reordered by the network; from an older one, it was
            // dropped above.)
            out.event(new CoreEvent.ProtocolAnomaly(r.from() + " lost acknowledged entries: its log ends at "
                    + (r.conflictIndex() - 1) + " but it had acknowledged " + pr.match()));
            pr.restartedAt(r.conflictIndex(), r.incarnation(), now);
            sendAppend(r.from(), pr, false, now, out);
            return;
        }
        // A refusal answers one request; refusals of requests already superseded are ignored.
        if (pr.staleRefusal(r.rejectIndex())) {
            staleMessages++;
            return;
        }
        pr.becomeProbe(nextAfterRefusal(r));
        sendAppend(r.from(), pr, false, now, out);
    }

    /**
     * A follower acknowledged a chunk of the snapshot it is being sent. The chunks themselves are
     * the driver's flow control; here it only counts as an answer (check-quorum, reach), since a
     * follower busy installing a snapshot may answer nothing else for a while.
     */
    private void onSnapshotAck(SnapshotAck ack, long now, Output.Builder out) {
        Progress pr = progress.get(ack.from());
        if (pr == null || !self.equals(ack.to())) {
            staleMessages++;
            return;
        }
        pr.heard(now);
    }

    /**
     * Where to resume after a refusal, a whole term at a time: past our last entry of the
     * follower's conflicting term if we have that term (the logs agree up to there), else at the
     * first index the follower holds of it.
     */
    private long nextAfterRefusal(AppendReply r) {
        long next = r.conflictIndex();
        if (r.conflictTerm() > 0) {
            long ours = log.lastIndexOfTerm(r.conflictTerm(), r.rejectIndex());
            if (ours >= 0) {
                next = ours + 1;
            }
        }
        return Math.max(0, Math.min(next, r.rejectIndex()));
    }

    /** Every heartbeat interval: each follower gets entries it lacks, or an empty AppendEntry. */
    private void heartbeat(long now, Output.Builder out) {
        List<String> targets = topo().targets();
        for (String peer : targets) {
            sendAppend(peer, progress.get(peer), true, now, out);
        }
        heartbeatsSent += targets.size();
        lastHeartbeatSentAt = now;
        heartbeatDeadline = now + timings.heartbeatMs();
    }

    /**
     * Sends {@code peer} what it needs now. PROBE: one AppendEntry from {@code next}, again each
     * heartbeat until answered. REPLICATE: batches from {@code next} while the in-flight window
     * has room; if nothing is due, a heartbeat with prev = match (which the follower is known to
     * hold, so it never causes a refusal), or, once everything has been sent and the window
     * (not full) has made no progress for a heartbeat, prev = the last index sent (a follower
     * that lost the last batch refuses it, and the refusal starts the resend at once). A window that made no progress for two heartbeats is
     * presumed lost: back to PROBE from the last acknowledged index.
     */
    private void sendAppend(String peer, Progress pr, boolean heartbeatDue, long now, Output.Builder out) {
        if (heartbeatDue) {
            pr.windowLost(now, 2 * timings.heartbeatMs());
        }
        if (pr.state() == Progress.State.SNAPSHOT || pr.next() <= log.snapshot().index()) {
            sendSnapshotState(peer, pr, heartbeatDue, now, out);
            return;
        }
        if (pr.state() == Progress.State.PROBE) {
            if (pr.probeInFlight() && !heartbeatDue) {
                return; // one probe at a time
            }
            if (pr.probeInFlight()) {
                // Unanswered for a heartbeat: it or its answer was lost. Probe the same point
                // with no entries: the smallest AppendEntry, which keeps the follower's timer
                // quiet on any link and still finds where its log ends; entries follow the answer.
                emptyAppend(peer, pr.next() - 1, out);
            } else {
                appendFrom(peer, pr.next(), out);
            }
            pr.probeSent(now);
            return;
        }
        boolean sent = false;
        while (pr.next() <= log.lastIndex() && !pr.inflightFull(limits.maxInflight())) {
            pr.sent(appendFrom(peer, pr.next(), out));
            sent = true;
        }
        if (!sent && heartbeatDue) {
            // also with a full window: the heartbeat never waits for the catch-up traffic.
            // prev = what it is known to hold, unless that is compacted here: then the snapshot's
            // end; but when everything has been sent, the window is not full and it has made no
            // progress for a heartbeat, the last index sent, so a lost last batch is refused (and
            // resent) now rather than when the window times out. Not while catching up (more to
            // send, or a full window): the sender lets heartbeats overtake queued batches, and a
            // heartbeat naming an index still queued would be refused for nothing.
            boolean lastBatchMayBeLost = pr.next() > log.lastIndex() && !pr.inflightFull(limits.maxInflight())
                    && pr.stalled(now, timings.heartbeatMs());
            long prev = lastBatchMayBeLost ? pr.next() - 1 : pr.match();
            emptyAppend(peer, Math.max(prev, log.snapshot().index()), out);
        }
    }

    /** An AppendEntry with no entries after {@code prev}: a heartbeat, or a probe of {@code prev}. */
    private void emptyAppend(String peer, long prev, Output.Builder out) {
        out.send(new Outbound(peer, new AppendEntry(term, self, prev, log.term(prev), self, List.of(), commitIndex,
                reads.seq())));
    }

    /**
     * The entries {@code peer} needs next are compacted away here: it needs the latest snapshot
     * (Raft section 7), which the driver streams, once the follower has answered this leader (as
     * etcd, a snapshot goes only to a follower known to be up). Asked for once, and again every
     * {@link #SNAPSHOT_RETRY_HEARTBEATS} heartbeats until the follower acknowledges it (the driver
     * continues a transfer under way). Heartbeats keep its election timer quiet meanwhile.
     */
    private void sendSnapshotState(String peer, Progress pr, boolean heartbeatDue, long now, Output.Builder out) {
        if (pr.state() != Progress.State.SNAPSHOT && !pr.heardYet()) {
            // not heard from since this node leads: it may be down, and a snapshot is costly.
            // Heartbeats naming the snapshot's end; its first answer will tell.
        } else if (pr.state() != Progress.State.SNAPSHOT) {
            pr.becomeSnapshot(now);
            out.sendSnapshot(peer);
            out.event(new CoreEvent.SnapshotNeeded(peer, term, pr.next(), log.snapshot().index()));
        } else if (heartbeatDue && pr.askSnapshotAgain(now, SNAPSHOT_RETRY_HEARTBEATS * timings.heartbeatMs())) {
            out.sendSnapshot(peer);
        }
        if (heartbeatDue) {
            LogPosition s = log.snapshot();
            out.send(new Outbound(peer, new AppendEntry(term, self, s.index(), s.term(), self, List.of(),
                    commitIndex, reads.seq())));
        }
    }

    /** How often, in heartbeats, a leader asks again for a snapshot a follower has not acknowledged. */
    static final int SNAPSHOT_RETRY_HEARTBEATS = 10;

    /** Sends entries from {@code from} (possibly none); returns the last index sent. */
    private long appendFrom(String peer, long from, Output.Builder out) {
        List<Entry> batch = from <= log.lastIndex() ? log.slice(from, limits) : List.of();
        long prev = from - 1;
        out.send(new Outbound(peer, new AppendEntry(term, self, prev, log.term(prev), self, batch, commitIndex,
                reads.seq())));
        return prev + batch.size();
    }

    /**
     * Section 5.4.2: the commit index moves to the highest index held by a majority (the leader
     * counting only what is durable in its own log), and only if that entry is of the current
     * term; earlier entries commit with it.
     */
    private void maybeCommit(long now, Output.Builder out) {
        // Only the voters of the configuration in force count (thesis 4.1), this leader only if
        // it is one of them (4.2.2: a leader being removed manages the cluster without a vote).
        long majority = Quorum.committedIndex(topo().voters(), voter -> {
            Progress pr = progress.get(voter);
            return voter.equals(self) ? persistedIndex : pr == null ? -1 : pr.match();
        });
        if (majority > commitIndex && log.term(majority) == term) {
            commitIndex = majority;
            emitApply(out);
            List<Long> waiting = reads.takeAwaitingTermCommit();
            if (!waiting.isEmpty()) {
                startReadRound(waiting, now, out);
            }
        }
    }

    /** Hands every newly committed entry, in order, to the driver to apply. */
    private void emitApply(Output.Builder out) {
        for (long i = appliedIndex + 1; i <= commitIndex; i++) {
            out.apply(log.get(i));
        }
        appliedIndex = Math.max(appliedIndex, commitIndex);
    }

    // ---- transitions -------------------------------------------------------------------------

    /**
     * A higher term was seen: adopt it, forget the vote, and follow ({@code leader} if known).
     * The election timer keeps running (figure 2: only a granted vote, the current leader or a
     * new election resets it), except on a deposed leader, whose deadline is long past: a
     * candidate whose log is behind must not be able to hold off everyone's elections.
     */
    private void adoptTerm(long newTerm, String newLeader, long now, Output.Builder out) {
        boolean wasLeader = role == Role.LEADER;
        term = newTerm;
        votedFor = null;
        leader = newLeader;
        leaderGone = false; // evidence against an earlier term's leader
        portChecked = false;
        out.persist(hardState());
        becomeFollower(now, out);
        if (wasLeader) {
            resetElectionTimer(now);
        }
    }

    private void becomeFollower(long now, Output.Builder out) {
        failReads(out);
        transferTarget = null;
        role = Role.FOLLOWER;
        progress.clear();
        votesReceived.clear();
        votesRefused.clear();
        out.event(new CoreEvent.RoleChanged(term, role));
    }

    private void startElection(long now, String reason, Output.Builder out) {
        failReads(out);
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
        askUnanswered(now, out);
        if (electionWon()) {
            becomeLeader(now, out);
        }
    }

    private void becomeLeader(long now, Output.Builder out) {
        role = Role.LEADER;
        retriedSoon = false;
        leader = self;
        leaderAnnouncedInTerm = term;
        electionsWon++;
        out.event(new CoreEvent.RoleChanged(term, role));
        out.event(new CoreEvent.LeaderElected(term, Quorum.count(topo().voters(), votesReceived), topo().voters().size()));
        votesReceived.clear();
        transferTarget = null;
        ledSince = now;
        checkQuorumDeadline = now + timings.electionMinMs();
        progress.clear();
        syncProgress(now, null);
        // Section 8: an entry of the new term, so that entries of earlier terms commit with it
        // and the leader learns its commit index without waiting for a client write.
        Entry noop = new Entry(log.lastIndex() + 1, term, Payload.NOOP);
        log.append(noop);
        out.append(noop);
        heartbeat(now, out);
    }

    /** A fresh timeout drawn uniformly from [min, max] ms, as the seed does at every reset. */
    private void resetElectionTimer(long now) {
        electionDeadline = now + random.nextLong(timings.electionMinMs(), timings.electionMaxMs() + 1);
    }

    // ---- snapshots (Raft section 7) -------------------------------------------------------------

    /**
     * A chunk of the leader's snapshot. Handled like an AppendEntry as far as terms, leaders and
     * timers go; then, unless everything it covers is already committed here, handed to the
     * driver to store ({@link Output#snapshotChunks()}), which acknowledges it itself.
     */
    private void onInstallSnapshot(InstallSnapshot s, Output.Builder out) {
        if (s.lastIncludedIndex() <= commitIndex) {
            // committed here already, so it matches the leader's log: say so, the leader moves on
            out.send(new Outbound(leader, AppendReply.accepted(term, self, leader, s.lastIncludedIndex())
                    .withIncarnation(incarnation)));
            return;
        }
        out.snapshotChunk(s);
    }

    /** What {@link #snapshotReceived} decided, and the output to carry out. */
    public record Install(boolean adopted, Output output) {}

    /**
     * The driver received a leader's snapshot in full, checked it and stored it durably. Adopted
     * unless this node has meanwhile committed as far: then the log starts after it (keeping the
     * entries that follow it, if the log holds its last entry with its term: they match the
     * leader's), everything it covers counts as committed and applied, and the leader is told.
     * The driver then loads the state machine from it (see {@link Output#installedSnapshot()}).
     */
    public Install snapshotReceived(String from, LogPosition snapshot, long now) {
        return snapshotReceived(from, snapshot, null, now);
    }

    /**
     * As above, with the configuration the snapshot holds (its metadata's configuration): it
     * becomes the configuration in force at the snapshot's last index, so a node that missed
     * configuration entries compacted into the snapshot still learns who the members are. Null:
     * keep what this node knows (right only if it held every configuration entry the snapshot covers).
     */
    public Install snapshotReceived(String from, LogPosition snapshot, ClusterConfig config, long now) {
        Output.Builder out = new Output.Builder();
        if (snapshot.index() <= commitIndex || role == Role.LEADER) {
            return new Install(false, out.build());
        }
        boolean keep = log.holds(snapshot.index()) && log.term(snapshot.index()) == snapshot.term();
        if (keep) {
            log.compactThrough(snapshot.index());
            if (config != null) {
                log.configs().rebase(snapshot.index(), config);
            }
            persistedIndex = Math.max(persistedIndex, snapshot.index()); // the snapshot is durable
        } else {
            if (config != null) {
                log.resetTo(snapshot, config);
            } else {
                log.resetTo(snapshot);
            }
            persistedIndex = snapshot.index(); // whatever followed is discarded
        }
        commitIndex = snapshot.index();
        appliedIndex = snapshot.index();
        out.installed(snapshot);
        out.event(new CoreEvent.SnapshotInstalled(from, term, snapshot, keep));
        if (from.equals(leader)) {
            out.send(new Outbound(leader, AppendReply.accepted(term, self, leader, snapshot.index())
                    .withIncarnation(incarnation)));
        }
        syncConfig(now, out);
        return new Install(true, out.build());
    }

    /**
     * The driver saved a snapshot of the state machine at {@code appliedThrough} and keeps the
     * log from {@code index + 1} on ({@code index} may be lower, to spare slow followers a
     * snapshot): the entries up to {@code index} are dropped here too.
     */
    public void compact(long index) {
        if (index > appliedIndex) {
            throw new IllegalArgumentException("cannot compact through " + index + ": applied only through "
                    + appliedIndex);
        }
        log.compactThrough(Math.min(index, log.lastIndex()));
    }

    /** The last entry the log no longer holds (a snapshot stands for it and everything before). */
    public LogPosition snapshot() {
        return log.snapshot();
    }

    /** The first index the log holds. */
    public long firstIndex() {
        return log.firstIndex();
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    // ---- leadership transfer (Raft thesis 3.10) ------------------------------------------------

    /**
     * The answer to a transfer request: the follower chosen (this node itself if it was asked to
     * hand leadership to itself: nothing to do), or why none could be ({@code refusal} is a code
     * for the controller's ERROR reply, {@code reason} says it in words).
     */
    public record Transfer(String target, ControllerError refusal, String reason, Output output) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Hands leadership to {@code requested}, or, if null, to the most up-to-date follower heard
     * from within the longest election timeout. The leader stops taking writes, brings the
     * target's log level with its own, then sends it TIMEOUT_NOW: the target starts an election at
     * once, skipping pre-vote, and wins it (its log is as up to date as anyone's) about one round
     * trip later; this node steps down when it hears the higher term. If the target has not taken
     * over within the longest election timeout, the transfer is abandoned and writes resume.
     */
    public Transfer transferLeadership(String requested, long now) {
        Output.Builder out = new Output.Builder();
        if (role != Role.LEADER) {
            return new Transfer(null, ControllerError.NOT_LEADER, self + " is not the leader"
                    + (leader == null ? "" : "; " + leader + " is"), out.build());
        }
        if (self.equals(requested)) {
            return new Transfer(self, null, null, out.build());
        }
        String target;
        if (requested != null) {
            if (!topo().voters().contains(requested)) {
                return new Transfer(null, ControllerError.UNKNOWN_NODE, requested + " is not a voting member: "
                        + topo().config().voters(), out.build());
            }
            if (!inReach(progress.get(requested), now)) {
                return new Transfer(null, ControllerError.UNREACHABLE, requested + " has not answered in the last "
                        + timings.electionMaxMs() + " ms", out.build());
            }
            target = requested;
        } else {
            target = bestSuccessor(now);
            if (target == null) {
                return new Transfer(null, ControllerError.UNREACHABLE, "no follower has answered in the last "
                        + timings.electionMaxMs() + " ms", out.build());
            }
        }
        transferTarget = target;
        transferDeadline = now + timings.electionMaxMs();
        timeoutNowSentAt = -1;
        Progress pr = progress.get(target);
        out.event(new CoreEvent.TransferStarted(target, term, log.lastIndex() - pr.match()));
        if (pr.match() == log.lastIndex()) {
            continueTransfer(now, out);
        } else {
            sendAppend(target, pr, true, now, out);
        }
        return new Transfer(target, null, null, out.build());
    }

    /** The follower leadership is being handed to, or null if no transfer is under way. */
    public String transferTarget() {
        return transferTarget;
    }

    /** The target's log matches ours: tell it to start its election (again, if a heartbeat has passed). */
    private void continueTransfer(long now, Output.Builder out) {
        Progress pr = progress.get(transferTarget);
        if (pr.match() != log.lastIndex()) {
            return;
        }
        if (timeoutNowSentAt >= 0 && now - timeoutNowSentAt < timings.heartbeatMs()) {
            return; // sent recently; a lost one is resent with the next acknowledgement after this
        }
        timeoutNowSentAt = now;
        out.send(new Outbound(transferTarget, new TimeoutNow(term, self, transferTarget)));
    }

    private void abortTransfer(String reason, Output.Builder out) {
        out.event(new CoreEvent.TransferAborted(transferTarget, term, reason));
        transferTarget = null;
    }

    /**
     * The reachable follower with the longest log; among those, the one whose current process this
     * leader has known longest (by more than a heartbeat interval): a process that just started
     * has cold caches and is slow to campaign (a freshly started JVM took up to 100 ms to answer a
     * TIMEOUT_NOW where a warm one took a few), and in a rolling restart it is the one most likely
     * to restart again. Remaining ties go to the earlier member.
     */
    private String bestSuccessor(long now) {
        String best = null;
        Progress bestPr = null;
        for (String peer : topo().electionPeers()) {
            Progress pr = progress.get(peer);
            if (pr == null || !inReach(pr, now)) {
                continue;
            }
            if (bestPr == null || pr.match() > bestPr.match()
                    || (pr.match() == bestPr.match() && knownLonger(pr, bestPr))) {
                best = peer;
                bestPr = pr;
            }
        }
        return best;
    }

    /** Whether {@code a}'s process has been known by more than a heartbeat interval longer than {@code b}'s. */
    private boolean knownLonger(Progress a, Progress b) {
        long sa = a.processKnownSince();
        long sb = b.processKnownSince();
        return sa >= 0 && (sb < 0 || sa + timings.heartbeatMs() < sb);
    }

    /**
     * Whether {@code pr}'s follower answered within the longest election timeout (counting from
     * this node's election if it has not answered yet: a new leader has not heard from anyone).
     */
    private boolean inReach(Progress pr, long now) {
        return now - Math.max(pr.lastHeardAt(), ledSince) <= timings.electionMaxMs();
    }

    /**
     * The leader says to start an election now. Only the leader of our term (or a newer one) is
     * obeyed; the election skips pre-vote, since the leader itself is stepping aside.
     */
    private void onTimeoutNow(TimeoutNow t, long now, Output.Builder out) {
        if (leader != null && !leader.equals(t.from())) {
            staleMessages++;
            return;
        }
        startElection(now, "leadership transfer from " + t.from(), out);
    }


    // ---- membership (Raft thesis, chapter 4: one server at a time) ------------------------------

    /**
     * Who takes part ({@link Topology}), recomputed only when the configuration in force or the
     * committed one changes.
     */
    private Topology topo() {
        ClusterConfig config = log.configs().latest();
        ClusterConfig committed = log.configs().at(commitIndex);
        Topology t = topology;
        if (t == null || t.config() != config || t.committed() != committed) {
            t = Topology.of(self, config, committed);
            topology = t;
        }
        return t;
    }

    /** See {@link Topology#mayCampaign()}. */
    private boolean mayCampaign() {
        return topo().mayCampaign();
    }

    /**
     * Thesis 4.1: a node that has not yet learned of a configuration must still vote for a
     * candidate it adds, or a cluster whose up-to-date voters include a newly promoted one may
     * never elect a leader while a lagging voter ignores it. A candidate outside this node's
     * configurations is answered when its log reaches past this node's latest configuration
     * entry (it may hold a newer one) and, as thesis 4.2.3 protects a live cluster from removed
     * servers, only while this node has not heard from a leader within the minimum election
     * timeout. The vote rules then decide as for anyone.
     */
    private boolean mayBeNewerMember(RequestVote rv, long now) {
        if (rv.candidateId().equals(self) || rv.lastLogIndex() <= log.configs().latestIndex() || role == Role.LEADER) {
            return false;
        }
        return !leaderHeardWithinLease(now);
    }

    /**
     * Whether this node heard from its leader within the minimum election timeout (less half a
     * heartbeat, for jitter): no election can have been needed since, so a candidate asking now
     * is refused (pre-votes) or ignored (strangers).
     */
    private boolean leaderHeardWithinLease(long now) {
        long lease = timings.electionMinMs() - timings.heartbeatMs() / 2;
        return leader != null && !leaderGone && lastHeartbeatReceivedAt >= 0 && now - lastHeartbeatReceivedAt < lease;
    }

    /**
     * How long after the evidence this voter campaigns: a twentieth of a heartbeat interval, plus
     * a tenth for each voter ahead of it in an order that turns with the term (names sorted, the
     * first being the one at {@code term} mod the number of voters): 5, 15, 25, ... ms with the
     * seed's timings. Every voter ranks the same way, so at most one campaigns in each slot, and a
     * tenth of an interval leaves time for its pre-vote and vote (a few ms) before the next one's
     * turn; turning with the term spreads the first turn over the voters. The dead leader's slot
     * is simply empty.
     */
    private long evidenceDelay() {
        List<String> order = topo().voters().stream().sorted().toList();
        int n = Math.max(1, order.size());
        int rank = Math.floorMod(order.indexOf(self) - (int) (term % n), n);
        return Math.max(1, timings.heartbeatMs() / 20) + rank * Math.max(1, timings.heartbeatMs() / 10);
    }

    /** Whether this node watches its leader's port: a voter following a known leader, evidence not yet in. */
    private boolean checkingLeaderPort() {
        return limits.checkLeaderPort() && role == Role.FOLLOWER && leader != null && !leaderGone && mayCampaign();
    }

    /**
     * The driver's report that {@code peer}'s host answered a port check ({@link Output#portChecks})
     * with "nothing listens there" (ICMP port unreachable): the leader's process is gone while its
     * host is up (a crash, an OOM kill, a failed deploy). It counts only from the leader this node
     * follows, after a check sent since the leader was last heard, and until it is heard again.
     * Then this node's election timer fires after a short delay that differs from one voter to the
     * next ({@link #evidenceDelay}: the followers all checked within a millisecond of each other,
     * and must not all campaign at once), and it grants pre-votes as though the lease had run out;
     * one it grants on such evidence also puts its own election off by a whole timeout, so that
     * the first to ask is not split by the next.
     *
     * <p>Why a stray or forged ICMP cannot depose a live leader: the evidence only hastens a
     * pre-vote, which changes no term; the pre-vote needs a majority, and a voter grants it early
     * only on its own evidence, from its own check, which a live leader's next heartbeat cancels.
     * A live leader is deposed only if a majority of its followers each got such an answer for a
     * check of their own, and each was sent after a heartbeat was late.
     */
    public Output leaderUnreachable(String peer, long now) {
        Output.Builder out = new Output.Builder();
        if (!checkingLeaderPort() || !portChecked || !peer.equals(leader)) {
            return out.build(); // stale: the leader was heard since, or another node, or evidence already in
        }
        leaderGone = true;
        electionDeadline = Math.min(electionDeadline, now + evidenceDelay());
        out.event(new CoreEvent.LeaderUnreachable(leader, term, now - lastHeartbeatReceivedAt, electionDeadline - now));
        return out.build();
    }

    /** See {@link Topology#isCandidateMember}. */
    private boolean isCandidateMember(String candidate) {
        return topo().isCandidateMember(candidate);
    }

    /**
     * Brings everything that depends on the configuration up to date after a change of the log
     * or of the commit index: reports a new configuration; on a leader, tracks exactly the nodes
     * it now replicates to, and steps down once a committed configuration has removed it.
     */
    private void syncConfig(long now, Output.Builder out) {
        Topology t = topo();
        if (t.config() != announced) {
            announced = t.config();
            out.event(new CoreEvent.MembershipChanged(term, log.configs().latestIndex(), t.config(),
                    log.configs().latestIndex() <= commitIndex));
        }
        if (role != Role.LEADER) {
            return;
        }
        syncProgress(now, out);
        if (!t.selfVoter() && log.configs().latestIndex() <= commitIndex) {
            stepDownRemoved(now, out);
        }
    }

    /**
     * The leader tracks a {@link Progress} for exactly the nodes it replicates to. A node it stops
     * replicating to (its removal is committed) gets one last AppendEntry, with what it lacks of
     * the log (its acknowledgement may still be on its way) and the commit index, so that it
     * learns its removal is committed and stays quiet (best effort: the datagram may be lost;
     * members ignore its vote requests anyway).
     */
    private void syncProgress(long now, Output.Builder out) {
        List<String> targets = topo().targets();
        for (java.util.Iterator<Map.Entry<String, Progress>> it = progress.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Progress> e = it.next();
            if (!targets.contains(e.getKey())) {
                if (out != null) {
                    appendFrom(e.getKey(), Math.max(e.getValue().match(), log.snapshot().index()) + 1, out);
                }
                it.remove();
            }
        }
        for (String peer : targets) {
            // a newcomer is probed from the end of our log; its refusals bring it back to where it ends
            progress.computeIfAbsent(peer, p -> new Progress(log.lastIndex() + 1, now));
        }
    }

    /**
     * Thesis 4.2.2: a leader removed from the configuration leads on until that configuration
     * commits (without counting itself), then steps down. So that the cluster does not wait an
     * election timeout for a successor, it tells its most up-to-date voter in reach to start an
     * election now, as a leadership transfer does; that voter holds the whole log, and so wins.
     */
    private void stepDownRemoved(long now, Output.Builder out) {
        String successor = null;
        for (String peer : topo().electionPeers()) {
            Progress pr = progress.get(peer);
            if (pr != null && pr.match() == log.lastIndex() && inReach(pr, now)) {
                successor = peer;
                break;
            }
        }
        out.event(new CoreEvent.SteppedDown(term, "this node is no longer a voter: the configuration at index "
                + log.configs().latestIndex() + " is committed" + (successor == null ? ""
                : "; " + successor + " is told to take over")));
        if (successor != null) {
            out.send(new Outbound(successor, new TimeoutNow(term, self, successor)));
        }
        leader = null;
        becomeFollower(now, out);
        resetElectionTimer(now);
    }

    /** A membership change the operator asks for: one server at a time. */
    public record ConfigChange(Kind kind, String name, String host) {

        public enum Kind {
            /** Adds {@code name} at {@code host} as a learner: it receives the log, counts for nothing. */
            ADD_LEARNER,
            /** Makes learner {@code name} a voter, once it has caught up. */
            PROMOTE,
            /** Removes {@code name}, voter or learner (the leader itself included: it then steps down). */
            REMOVE
        }

        public static ConfigChange addLearner(String name, String host) {
            return new ConfigChange(Kind.ADD_LEARNER, name, host);
        }

        public static ConfigChange promote(String name) {
            return new ConfigChange(Kind.PROMOTE, name, null);
        }

        public static ConfigChange remove(String name) {
            return new ConfigChange(Kind.REMOVE, name, null);
        }
    }

    /**
     * What {@link #changeConfig} did: the entry holding the new configuration, or why there is
     * none ({@code refusal} a code for the controller's ERROR reply, {@code reason} in words).
     */
    public record Reconfiguration(Entry entry, ClusterConfig config, ControllerError refusal, String reason, Output output) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /** A learner may be promoted only when it lags the leader's log by at most this many entries. */
    public static final long PROMOTE_MAX_LAG = 100;

    /**
     * Proposes a membership change (thesis 4.2, single-server changes, as etcd's non-joint
     * ConfChange): the leader appends the new configuration, which is in force on each node from
     * the moment that node appends it, and answers once it commits. Refused, with nothing done:
     * <ul>
     *   <li>{@code NOT_LEADER}, {@code TRANSFERRING}: as for writes;</li>
     *   <li>{@code CHANGE_IN_PROGRESS}: an earlier change is not yet committed, or this leader has
     *       not yet committed an entry of its own term (the fix of the thesis' single-server
     *       algorithm published on raft-dev in 2015: without it, changes of two leaders in a row
     *       can leave two disjoint majorities); both pass within a round trip or two;</li>
     *   <li>{@code ALREADY_MEMBER}, {@code UNKNOWN_NODE}, {@code ALREADY_VOTER}, {@code MALFORMED}:
     *       the change does not fit the configuration (or the name or host are not valid);</li>
     *   <li>{@code NOT_READY}: a learner to promote that is more than {@link #PROMOTE_MAX_LAG}
     *       entries behind, or has not answered within the longest election timeout;</li>
     *   <li>{@code LAST_VOTER}: removing the only voter;</li>
     *   <li>{@code NO_QUORUM}: the new configuration's voters in reach (answered within the
     *       longest election timeout) would not make a majority of it, so it could not even
     *       commit (as etcd's strict reconfiguration check).</li>
     * </ul>
     * A new node joins as a learner, catches up, and is then promoted: adding a voter directly
     * would raise the majority before the newcomer can help make it.
     */
    public Reconfiguration changeConfig(ConfigChange change, long now) {
        Output.Builder out = new Output.Builder();
        ConfigChanges.Verdict verdict;
        if (role != Role.LEADER) {
            verdict = ConfigChanges.Verdict.refused(ControllerError.NOT_LEADER, self + " is not the leader"
                    + (leader == null ? "" : "; " + leader + " is"));
        } else if (transferTarget != null) {
            verdict = ConfigChanges.Verdict.refused(ControllerError.TRANSFERRING, "leadership is being handed to " + transferTarget);
        } else {
            verdict = ConfigChanges.oneAtATime(term, log.term(commitIndex), commitIndex, log.configs().latestIndex());
            if (verdict == null) {
                verdict = ConfigChanges.check(change, topo().config(), new ConfigChanges.Members() {
                    @Override
                    public boolean inReach(String name) {
                        Progress pr = progress.get(name);
                        return name.equals(self) || (pr != null && RaftCore.this.inReach(pr, now));
                    }

                    @Override
                    public String notCaughtUp(String name) {
                        return learnerReady(name, now) ? null : lagDescription(name, now);
                    }
                }, timings.electionMaxMs());
            }
        }
        ClusterConfig next = verdict.next();
        if (next == null) {
            return new Reconfiguration(null, null, verdict.refusal(), verdict.reason(), out.build());
        }
        Entry e = new Entry(log.lastIndex() + 1, term, next.toPayload());
        log.append(e);
        out.append(e);
        entriesAppended++;
        syncConfig(now, out); // in force at once: the new configuration's majority decides its commitment
        for (String peer : topo().targets()) {
            sendAppend(peer, progress.get(peer), false, now, out);
        }
        maybeCommit(now, out);
        syncConfig(now, out);
        return new Reconfiguration(e, next, null, null, out.build());
    }

    /** Whether learner {@code name} has caught up enough to be promoted (leader only). */
    public boolean learnerReady(String name, long now) {
        Progress pr = progress.get(name);
        return role == Role.LEADER && pr != null && pr.heardYet()
                && now - pr.lastHeardAt() <= timings.electionMaxMs() && log.lastIndex() - pr.match() <= PROMOTE_MAX_LAG;
    }

    private String lagDescription(String name, long now) {
        Progress pr = progress.get(name);
        if (pr == null || !pr.heardYet()) {
            return "it has not answered this leader yet";
        }
        if (now - pr.lastHeardAt() > timings.electionMaxMs()) {
            return "it last answered " + (now - pr.lastHeardAt()) + " ms ago";
        }
        return "it is " + (log.lastIndex() - pr.match()) + " entries behind (at most " + PROMOTE_MAX_LAG + " allowed)";
    }

    /** The configuration in force on this node: the latest in its log, committed or not. */
    public ClusterConfig config() {
        return topo().config();
    }

    /** The index of the entry that set {@link #config()}; that of the snapshot holding it, or -1 for the initial list. */
    public long configIndex() {
        return log.configs().latestIndex();
    }

    /** The latest committed configuration. */
    public ClusterConfig committedConfig() {
        return topo().committed();
    }

    /** The index of the entry that set {@link #committedConfig()} (as {@link #configIndex()}). */
    public long committedConfigIndex() {
        return log.configs().indexAt(commitIndex);
    }

    /**
     * The configuration in force once the log ends at {@code index}: for a snapshot through an
     * applied index, the configuration to keep in its metadata ({@link ClusterConfig#toJson()}).
     * {@code index} must not be before the log's first entry less one (what a snapshot covers is
     * gone, with the configurations in it).
     */
    public ClusterConfig configAt(long index) {
        if (index < log.snapshot().index()) {
            throw new IllegalArgumentException("the configuration at " + index + " is compacted away (the log starts after "
                    + log.snapshot().index() + ")");
        }
        return log.configs().at(index);
    }

    /** A member as the leader sees it: how far its log matches, and when it last answered (-1: not yet). */
    public record Replica(long match, long heardAgoMs) {}

    /** On a leader, each node it replicates to; empty on any other node. */
    public Map<String, Replica> replicas(long now) {
        Map<String, Replica> all = new java.util.TreeMap<>();
        if (role == Role.LEADER) {
            progress.forEach((peer, pr) -> all.put(peer, new Replica(pr.match(), pr.heardYet() ? now - pr.lastHeardAt() : -1)));
        }
        return all;
    }

    // ---- queries -----------------------------------------------------------------------------

    public Timings timings() {
        return timings;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The entry at {@code index} of this node's log (for simulators and checks). */
    public Entry entry(long index) {
        return log.get(index);
    }

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
        Map<String, Long> followerMatch = new java.util.TreeMap<>();
        progress.forEach((peer, pr) -> followerMatch.put(peer, pr.match()));
        Map<String, Long> followerHeardMs = new java.util.TreeMap<>();
        progress.forEach((peer, pr) -> followerHeardMs.put(peer, pr.heardYet() ? now - pr.lastHeardAt() : -1));
        return new CoreStatus(self, role, term, votedFor, leader, age, log.last(), commitIndex, appliedIndex,
                persistedIndex, followerMatch, followerHeardMs,
                new Counters(electionsStarted, electionsWon, votesGranted, votesDenied,
                        heartbeatsSent, heartbeatsReceived, staleMessages, entriesAppended, appendsRejected));
    }
}

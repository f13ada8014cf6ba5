package dev.raftledger.raftd.core;

import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.common.wire.ControllerError;

/**
 * The checks a membership change must pass before the leader writes it (Raft thesis 4.2,
 * single-server changes, as etcd's {@code confchange} without joint configurations), and the
 * configuration it leads to. {@link RaftCore#changeConfig} documents the refusal codes; the
 * leader's own state (leader, not handing over) is checked by the core before these.
 *
 * <p>Pure functions of their arguments: no state, safe from any thread. A refusal is a value
 * ({@link Verdict#refusal()}), never an exception; an invalid name or host is refused as
 * {@code MALFORMED}.
 */
final class ConfigChanges {

    /** The configuration a change leads to, or why it is refused (a code and the reason in words). */
    record Verdict(ClusterConfig next, ControllerError refusal, String reason) {

        static Verdict to(ClusterConfig next) {
            return new Verdict(next, null, null);
        }

        static Verdict refused(ControllerError refusal, String reason) {
            return new Verdict(null, refusal, reason);
        }

        boolean accepted() {
            return refusal == null;
        }
    }

    /** What the leader knows of the members, as far as the checks need it. */
    interface Members {

        /** Whether {@code name} answered within the longest election timeout (the leader itself always has). */
        boolean inReach(String name);

        /** Null if learner {@code name} has caught up enough to be promoted, else in words why not. */
        String notCaughtUp(String name);
    }

    private ConfigChanges() {}

    /**
     * One change at a time: refused as {@code CHANGE_IN_PROGRESS} while the leader of {@code term}
     * has not yet committed an entry of its term (the entry at its commit index is of
     * {@code commitTerm}), or while the latest configuration (set at {@code configIndex}) is not
     * yet committed. Null if a change may be made now.
     */
    static Verdict oneAtATime(long term, long commitTerm, long commitIndex, long configIndex) {
        if (commitTerm != term) {
            return Verdict.refused(ControllerError.CHANGE_IN_PROGRESS, "this leader has not yet committed an entry of its term "
                    + term + "; try again in a moment");
        }
        if (configIndex > commitIndex) {
            return Verdict.refused(ControllerError.CHANGE_IN_PROGRESS, "the change at index " + configIndex
                    + " is not yet committed: one change at a time");
        }
        return null;
    }

    /**
     * Whether {@code change} fits {@code current}, and what it leads to: a learner is added only
     * if not a member, promoted only if a caught-up learner, removed only if a member and not the
     * last voter; a change of the voters only if the new configuration's voters in reach (within
     * {@code windowMs}, the longest election timeout) make a majority of it, so it can commit.
     */
    static Verdict check(RaftCore.ConfigChange change, ClusterConfig current, Members members, long windowMs) {
        String name = change.name();
        ClusterConfig next;
        try {
            switch (change.kind()) {
                case ADD_LEARNER:
                    if (current.isMember(name)) {
                        return Verdict.refused(ControllerError.ALREADY_MEMBER, name + " is already a "
                                + (current.isVoter(name) ? "voter" : "learner"));
                    }
                    next = current.withLearner(name, change.host());
                    break;
                case PROMOTE:
                    if (!current.isMember(name)) {
                        return Verdict.refused(ControllerError.UNKNOWN_NODE, name + " is not a member: " + current);
                    }
                    if (current.isVoter(name)) {
                        return Verdict.refused(ControllerError.ALREADY_VOTER, name + " is already a voter");
                    }
                    String lag = members.notCaughtUp(name);
                    if (lag != null) {
                        return Verdict.refused(ControllerError.NOT_READY, name + " is not caught up: " + lag);
                    }
                    next = current.withVoter(name);
                    break;
                case REMOVE:
                    if (!current.isMember(name)) {
                        return Verdict.refused(ControllerError.UNKNOWN_NODE, name + " is not a member: " + current);
                    }
                    if (current.isVoter(name) && current.voters().size() == 1) {
                        return Verdict.refused(ControllerError.LAST_VOTER, name + " is the only voter");
                    }
                    next = current.without(name);
                    break;
                default:
                    throw new IllegalArgumentException("unknown change " + change.kind());
            }
        } catch (IllegalArgumentException e) {
            return Verdict.refused(ControllerError.MALFORMED, e.getMessage());
        }
        if (next.votersChangedFrom(current) > 0) {
            int inReach = 0;
            for (String v : next.voters()) {
                inReach += members.inReach(v) ? 1 : 0;
            }
            if (inReach < next.quorum()) {
                return Verdict.refused(ControllerError.NO_QUORUM, "only " + inReach + " of the new configuration's "
                        + next.voters().size() + " voters have answered in the last " + windowMs + " ms, and "
                        + next.quorum() + " are needed");
            }
        }
        return Verdict.to(next);
    }
}

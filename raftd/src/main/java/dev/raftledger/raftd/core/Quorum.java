package dev.raftledger.raftd.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Majority arithmetic over the voters of one configuration (Raft sections 5.2 and 5.4.2, thesis
 * 4.1), after etcd's {@code quorum.MajorityConfig}: how many make a majority, the highest index
 * a majority holds, and whether an election is won, lost or still open. The project changes one
 * server at a time (no joint configurations), so a single majority is all there is.
 *
 * <p>Pure functions of their arguments: no state, safe from any thread. A configuration always
 * has at least one voter ({@code LAST_VOTER} keeps the last one); an empty one is refused with
 * an {@link IllegalArgumentException}.
 */
final class Quorum {

    /** Where an election stands, counting only the voters of the configuration. */
    enum VoteResult {
        /** A majority granted. */
        WON,
        /** Not yet decided: the voters that have not answered could still make a majority. */
        PENDING,
        /** So many refused that a majority of grants is out of reach. */
        LOST
    }

    private Quorum() {}

    /** How many of {@code voters} voters make a majority. */
    static int of(int voters) {
        if (voters < 1) {
            throw new IllegalArgumentException("a configuration without voters has no majority");
        }
        return voters / 2 + 1;
    }

    /** With this many refusals out of {@code voters} a majority of grants is out of reach. */
    static int refusalsToLose(int voters) {
        return voters - of(voters) + 1;
    }

    /** Whether {@code count} of {@code voters} voters are a majority of them. */
    static boolean isMajority(int count, int voters) {
        return count >= of(voters);
    }

    /** How many of {@code voters} are in {@code names} (names that are not voters count for nothing). */
    static int count(List<String> voters, Collection<String> names) {
        int n = 0;
        for (String v : voters) {
            n += names.contains(v) ? 1 : 0;
        }
        return n;
    }

    /**
     * The highest index that a majority of {@code voters} hold: sorted, the one with a majority at
     * or above it. {@code acked} gives each voter's highest index (-1 when nothing is known).
     */
    static long committedIndex(List<String> voters, ToLongFunction<String> acked) {
        int q = of(voters.size());
        long[] matches = new long[voters.size()];
        int i = 0;
        for (String v : voters) {
            matches[i++] = acked.applyAsLong(v);
        }
        Arrays.sort(matches);
        return matches[matches.length - q];
    }

    /** Where an election stands, given who granted and who refused (only voters count). */
    static VoteResult voteResult(List<String> voters, Collection<String> granted, Collection<String> refused) {
        int q = of(voters.size());
        int yes = count(voters, granted);
        if (yes >= q) {
            return VoteResult.WON;
        }
        int no = 0;
        for (String v : voters) {
            no += refused.contains(v) && !granted.contains(v) ? 1 : 0;
        }
        return voters.size() - no >= q ? VoteResult.PENDING : VoteResult.LOST;
    }
}

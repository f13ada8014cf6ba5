package dev.raftledger.raftd.driver.control;

import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each member's release understands, as its AppendReplies say ({@code feature_level}), and
 * from that whether this leader may stamp its clock (and writers' names) into ledger writes: only
 * once every member of the configuration in force and of the committed one (voters and learners)
 * has said, in this term, that it reads stamps. A release before stamps refuses a stamped command
 * when it applies it, so a stamp written while one of them is a member would make the ledgers
 * diverge; as etcd's cluster version, the leader waits for all. A member not heard from in this
 * term (down, cut off, or the leader only just elected) holds stamps back until it answers; so
 * does one added by a membership change until it answers. A node of such a release says no level (0) and never
 * stamps as leader. Going back to such a release once stamps were written is not supported.
 *
 * <p>Not thread-safe: the event loop's (fed by its AppendReplies, read by ledger writes and
 * MEMBERS).
 */
public final class FeatureLevels {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureLevels.class);

    /**
     * Level 1: reads ledger entries stamped with {@code time} and {@code session_ttl} and/or
     * {@code by} (the writer's name), snapshot format 2, and expenses with {@code created_by}/
     * {@code updated_by}.
     */
    public static final long STAMPS = 1;

    /** This release's level: what its driver says on every AppendReply. */
    public static final long OWN = STAMPS;

    /** What one member said last, and in which term. */
    private record Heard(long term, long level) {}

    private final RaftCore core;
    private final Map<String, Heard> heard = new HashMap<>();
    /** The last decision logged (null: none yet), so a change is logged once. */
    private Boolean stamping;

    public FeatureLevels(RaftCore core) {
        this.core = core;
    }

    /** An AppendReply from {@code from} of {@code term} saying {@code level} (0: not said). */
    public void reply(String from, long term, long level) {
        heard.put(from, new Heard(term, level));
    }

    /**
     * What {@code member} said in this node's current term: this node's own level for itself,
     * null if it has not answered in this term.
     */
    public Long level(String member) {
        if (member.equals(core.name())) {
            return OWN;
        }
        Heard h = heard.get(member);
        return h == null || h.term() != core.term() ? null : h.level();
    }

    /**
     * The members that have not said, in this term, that they read stamps (in the configurations'
     * order); empty when every one has. Meaningful on a leader.
     */
    public List<String> notReadingStamps() {
        Set<String> members = new LinkedHashSet<>(core.committedConfig().names());
        members.addAll(core.config().names());
        List<String> lacking = new ArrayList<>();
        for (String m : members) {
            Long level = level(m);
            if (level == null || level < STAMPS) {
                lacking.add(m);
            }
        }
        return lacking;
    }

    /**
     * Whether a ledger write proposed now may carry a stamp: this node leads and every member has
     * said in this term that it reads stamps. A change of the answer is logged once.
     */
    public boolean stampsAllowed() {
        if (core.role() != Role.LEADER) {
            return false;
        }
        List<String> lacking = notReadingStamps();
        boolean allowed = lacking.isEmpty();
        if (stamping == null || stamping != allowed) {
            stamping = allowed;
            if (allowed) {
                LOG.info("{}: every member reads session stamps; ledger writes are stamped from now on (term {})",
                        core.name(), core.term());
            } else {
                LOG.info("{}: ledger writes are not stamped (sessions do not expire, writers are not recorded)"
                        + " until {} {} said in term {} that {} read{} them: not heard yet, or a release before"
                        + " session expiry", core.name(),
                        String.join(", ", lacking), lacking.size() == 1 ? "has" : "have", core.term(),
                        lacking.size() == 1 ? "it" : "they", lacking.size() == 1 ? "s" : "");
            }
        }
        return allowed;
    }
}

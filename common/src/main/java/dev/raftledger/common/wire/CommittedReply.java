package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The value of a COMMITTED reply ({@link ReplyKey#COMMITTED}): where the entry of a STORE or of
 * a membership change committed, and for a membership change the members it made. Encoded by
 * raftd ({@link #toJson}) and decoded by raftctl ({@link #fromJson}) here, once.
 *
 * <p>Encoding writes {@code index}, {@code term} and, only where there are members (a change),
 * {@code members} as {@link MembersReply#membersToJson} lists them. Decoding never fails: the
 * write was done whatever the reply says, so a position that is missing or not an integer reads
 * as null ({@link ReplyFields}), members that are not a list as null, and fields it does not know
 * are ignored. Immutable.
 *
 * @param index   the entry's log index (null: not said)
 * @param term    the entry's term (null: not said)
 * @param members the configuration the change made (null: none, a STORE)
 */
public record CommittedReply(Long index, Long term, List<MembersReply.Member> members) {

    public CommittedReply {
        members = members == null ? null : List.copyOf(members);
    }

    /** A STORE's: the position only. */
    public CommittedReply(long index, long term) {
        this(index, term, null);
    }

    /** The COMMITTED object, as the node sends it. */
    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("index", index);
        v.put("term", term);
        if (members != null) {
            v.set("members", MembersReply.membersToJson(members));
        }
        return v;
    }

    /** The COMMITTED object {@code v}, as far as it is one (anything else: every field null). */
    public static CommittedReply fromJson(JsonNode v) {
        JsonNode list = v == null ? null : v.get("members");
        return new CommittedReply(ReplyFields.number(v, "index"), ReplyFields.number(v, "term"),
                list != null && list.isArray() ? MembersReply.membersFromJson(list) : null);
    }
}

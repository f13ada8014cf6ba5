package dev.raftledger.common.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value of a WHOAMI reply ({@link ReplyKey#RESULT}): who the node took the caller for. With
 * a cluster key: the name the caller's key belongs to ({@code node} for a node key), its role,
 * and the key's fingerprint. Without one: no name, no key, and the role {@code admin}, since
 * anyone who can reach the port may do anything. Encoded by raftd ({@link #toJson}) and decoded
 * by raftctl ({@link #fromJson}) here, once; decoding never fails (a missing field reads as null).
 *
 * @param keyed whether the node has a cluster key at all
 * @param name  the caller's name (null without a key)
 * @param role  viewer, clerk or admin
 * @param node  whether the caller used a node key
 * @param key   the fingerprint of the key the request came with (null without a key)
 */
public record WhoamiReply(Boolean keyed, String name, String role, Boolean node, String key) {

    public ObjectNode toJson() {
        ObjectNode v = Codec.objectNode();
        v.put("keyed", keyed);
        v.put("name", name);
        v.put("role", role);
        v.put("node", node);
        v.put("key", key);
        return v;
    }

    public static WhoamiReply fromJson(JsonNode v) {
        JsonNode keyed = v == null ? null : v.get("keyed");
        JsonNode node = v == null ? null : v.get("node");
        return new WhoamiReply(keyed != null && keyed.isBoolean() ? keyed.booleanValue() : null,
                ReplyFields.text(v, "name"), ReplyFields.text(v, "role"),
                node != null && node.isBoolean() ? node.booleanValue() : null, ReplyFields.text(v, "key"));
    }
}

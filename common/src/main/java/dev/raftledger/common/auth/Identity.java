package dev.raftledger.common.auth;

/**
 * Who sealed a datagram, as the key it was sealed with says: a node of the cluster (a key of
 * the cluster keyring), or a named operator with a role (a credential from the operators file).
 * Only a node identity may send peer messages; an operator acts on the controller port within
 * its role. A node identity on the controller port acts as an admin.
 *
 * @param name the operator's name, or {@link #NODE_NAME} for a node key
 * @param role what it may do on the controller port; null in a client's own credential, whose
 *             role only the nodes know (raftctl whoami asks them)
 * @param node whether this is the cluster's own (node) key
 */
public record Identity(String name, Role role, boolean node) {

    /** The name a node key goes by. Operator names may not take it. */
    public static final String NODE_NAME = "node";

    public static final Identity NODE = new Identity(NODE_NAME, Role.ADMIN, true);

    public static Identity operator(String name, Role role) {
        return new Identity(name, role, false);
    }

    /** "alice (clerk)", "node (admin, a node key)". */
    public String describe() {
        return name + " (" + role.wireName() + (node ? ", a node key" : "") + ")";
    }
}

package dev.raftledger.raftctl;

/** Small pieces of raftctl's text output that several commands print alike. */
public final class Texts {

    private Texts() {}

    /** A number, or "?" where a node did not say. */
    public static String orUnknown(Long n) {
        return n == null ? "?" : Long.toString(n);
    }

    /** "from leader Node3 at applied index 41" or "stale, from Node4 at applied index 40 of commit index 41". */
    public static String source(String node, boolean stale, Long applied, Long commit) {
        String at = applied == null ? "" : " at applied index " + applied;
        if (!stale) {
            return "from leader " + node + at;
        }
        return "stale, from " + node + at + (commit == null ? "" : " of commit index " + commit);
    }
}

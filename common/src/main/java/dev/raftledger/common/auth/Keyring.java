package dev.raftledger.common.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys a process seals and opens datagrams with; immutable (a reload makes a new one).
 *
 * <p>A node's keyring holds the cluster's node keys, from its keys file, and the operators'
 * credentials, from its operators file. One node key is the primary: the node seals with it.
 * Every key is accepted on receipt, which is what lets a key be rotated while the cluster serves
 * (docs/security.md, "Rotating the cluster key"). A client's keyring (raftctl) holds the one key
 * it acts with: a node key file (then it acts as a node: an admin) or an operator credential.
 *
 * <p>The files (mode 600, {@link KeyFiles}):
 * <pre>
 * # keys file: one secret per line; with several, the one marked primary seals
 * 6f1c...e2  primary
 * 0a9b...41
 *
 * # operators file: name, role (viewer, clerk or admin), secret
 * alice  clerk   3d2e...9f
 * ci     viewer  77aa...10
 *
 * # an operator's credential file (raftctl --credential-file): name and secret
 * alice  3d2e...9f
 * </pre>
 * A keys file of one bare secret is the cluster key file of earlier releases, unchanged.
 */
public final class Keyring {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Key primary;
    private final List<Key> nodeKeys;
    private final Map<String, Key> byFingerprint;
    private final int operators;

    private Keyring(Key primary, List<Key> nodeKeys, List<Key> operatorKeys) throws AuthException {
        this.primary = primary;
        this.nodeKeys = List.copyOf(nodeKeys);
        Map<String, Key> all = new LinkedHashMap<>();
        List<Key> every = new ArrayList<>(nodeKeys);
        every.addAll(operatorKeys);
        for (Key k : every) {
            for (Key seen : all.values()) {
                if (seen.sameSecret(k)) {
                    throw new AuthException("the same secret is given twice (" + seen.identity().describe() + " and "
                            + k.identity().describe() + "): every key must be its own");
                }
            }
            if (all.putIfAbsent(k.fingerprint(), k) != null) {
                throw new AuthException("two keys share the fingerprint " + k.fingerprint());
            }
        }
        if (primary != null && !all.containsKey(primary.fingerprint())) {
            all.put(primary.fingerprint(), primary);
        }
        this.byFingerprint = Collections.unmodifiableMap(all);
        this.operators = operatorKeys.size();
    }

    /** A node's keyring: its keys file and, if given, its operators file. */
    public static Keyring forNode(Path keysFile, Path operatorsFile) throws AuthException {
        List<Key> nodeKeys = new ArrayList<>();
        Key primary = null;
        List<KeyFiles.Line> lines = KeyFiles.read(keysFile, "cluster key file");
        for (KeyFiles.Line line : lines) {
            List<String> w = line.words();
            boolean marked = w.size() == 2 && w.get(1).equals("primary");
            if (w.size() > 2 || (w.size() == 2 && !marked)) {
                throw new AuthException(keysFile + " line " + line.number()
                        + ": expected a secret, optionally followed by the word primary");
            }
            Key k = new Key(KeyFiles.secret(keysFile, line, w.get(0)), Identity.NODE);
            nodeKeys.add(k);
            if (marked) {
                if (primary != null) {
                    throw new AuthException(keysFile + " line " + line.number() + ": a second key marked primary "
                            + "(one key seals; mark only one)");
                }
                primary = k;
            }
        }
        if (nodeKeys.isEmpty()) {
            throw new AuthException("cluster key file " + keysFile + " holds no key");
        }
        if (primary == null) {
            if (nodeKeys.size() > 1) {
                throw new AuthException(keysFile + " holds " + nodeKeys.size() + " keys and none is marked primary: "
                        + "add the word primary after the one that seals");
            }
            primary = nodeKeys.get(0);
        }
        List<Key> operatorKeys = operatorsFile == null ? List.of() : operators(operatorsFile);
        return new Keyring(primary, nodeKeys, operatorKeys);
    }

    private static List<Key> operators(Path file) throws AuthException {
        List<Key> keys = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (KeyFiles.Line line : KeyFiles.read(file, "operators file")) {
            List<String> w = line.words();
            if (w.size() != 3) {
                throw new AuthException(file + " line " + line.number() + ": expected: name role secret");
            }
            String name = w.get(0);
            if (!NAME.matcher(name).matches() || name.equals(Identity.NODE_NAME)) {
                throw new AuthException(file + " line " + line.number() + ": '" + name + "' is not a valid operator name "
                        + "(letters, digits and . _ @ -, at most 64, not '" + Identity.NODE_NAME + "')");
            }
            Role role = Role.fromWire(w.get(1)).orElseThrow(() -> new AuthException(file + " line " + line.number()
                    + ": unknown role '" + w.get(1) + "' (viewer, clerk or admin)"));
            Integer before = names.putIfAbsent(name, line.number());
            if (before != null) {
                throw new AuthException(file + " line " + line.number() + ": '" + name + "' is already on line " + before);
            }
            keys.add(new Key(KeyFiles.secret(file, line, w.get(2)), Identity.operator(name, role)));
        }
        return keys;
    }

    /** A client's keyring from a node keys file: it seals with the primary, as a node. */
    public static Keyring forClientWithNodeKeys(Path keysFile) throws AuthException {
        return forNode(keysFile, null);
    }

    /** A client's keyring from an operator's credential file (name and secret). */
    public static Keyring forOperator(Path credentialFile) throws AuthException {
        List<KeyFiles.Line> lines = KeyFiles.read(credentialFile, "credential file");
        if (lines.size() != 1 || lines.get(0).words().size() != 2) {
            throw new AuthException("credential file " + credentialFile + " must hold one line: name secret");
        }
        KeyFiles.Line line = lines.get(0);
        String name = line.words().get(0);
        if (!NAME.matcher(name).matches() || name.equals(Identity.NODE_NAME)) {
            throw new AuthException(credentialFile + ": '" + name + "' is not a valid operator name");
        }
        Key k = new Key(KeyFiles.secret(credentialFile, line, line.words().get(1)), Identity.operator(name, null));
        return new Keyring(k, List.of(), List.of(k));
    }

    /** A keyring of given secrets (tests, benchmarks): node keys, the first the primary, and operators. */
    public static Keyring of(List<String> nodeSecrets, Map<String, Map.Entry<Role, String>> operatorSecrets) {
        try {
            List<Key> nodes = new ArrayList<>();
            for (String s : nodeSecrets) {
                nodes.add(new Key(s, Identity.NODE));
            }
            List<Key> ops = new ArrayList<>();
            operatorSecrets.forEach((name, rs) -> ops.add(new Key(rs.getValue(), Identity.operator(name, rs.getKey()))));
            return new Keyring(nodes.get(0), nodes, ops);
        } catch (AuthException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The key this process seals with. */
    public Key primary() {
        return primary;
    }

    /** The installed node keys, in the keys file's order (empty in an operator's keyring). */
    public List<Key> nodeKeys() {
        return nodeKeys;
    }

    /** How many operator credentials this keyring accepts. */
    public int operators() {
        return operators;
    }

    /** The key with this fingerprint, or null if none is installed. */
    Key find(String fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    Key find(byte[] fingerprint) {
        return byFingerprint.get(java.util.HexFormat.of().formatHex(fingerprint));
    }
}

package dev.raftledger.raftctl;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import java.nio.file.Path;

/**
 * The key raftctl acts with, and where it came from: an operator's credential
 * ({@code --credential-file}, env {@code RAFT_CREDENTIAL_FILE}: a name and a secret, acting
 * within the role the nodes' operators files give that name), a node keys file
 * ({@code --cluster-key-file}, env {@code RAFT_CLUSTER_KEY_FILE}: acting as a node, an admin),
 * or none (plain datagrams, as the public convention has them). At most one of the two may be
 * given, by option or variable in any mix: raftctl acts with one key, and which one must never
 * depend on an order of precedence the operator did not think of (docs/security.md). Immutable.
 *
 * @param kind   which of the three
 * @param file   the file read; null for {@link Kind#NONE}
 * @param source the option or variable that named it ({@code --credential-file},
 *               {@code RAFT_CREDENTIAL_FILE}, ...); null for {@link Kind#NONE}
 * @param auth   the sealing it makes ({@link ClusterAuth#none()} for {@link Kind#NONE})
 */
public record Credential(Kind kind, Path file, String source, ClusterAuth auth) {

    static final String CREDENTIAL_ENV = "RAFT_CREDENTIAL_FILE";
    static final String CLUSTER_KEY_ENV = "RAFT_CLUSTER_KEY_FILE";
    static final String CREDENTIAL_OPTION = "--credential-file";
    static final String CLUSTER_KEY_OPTION = "--cluster-key-file";

    /** What raftctl acts as. */
    public enum Kind {
        /** No key: the cluster must have none either; anyone who reaches a node acts as admin. */
        NONE,
        /** An operator's credential: its name, and the role the nodes give it. */
        OPERATOR,
        /** A node keys file: raftctl acts as a node (an admin). */
        NODE
    }

    /** No key. */
    public static Credential none() {
        return new Credential(Kind.NONE, null, null, ClusterAuth.none());
    }

    /**
     * The credential the options and the environment name.
     *
     * @throws IllegalArgumentException both kinds are named, or the file named is refused (the
     *                                  message says why; raftctl reports it as a usage error)
     */
    static Credential resolve(Path clusterKeyOption, Path credentialOption, Environment environment) {
        String keyEnv = environment.variable(CLUSTER_KEY_ENV);
        String credentialEnv = environment.variable(CREDENTIAL_ENV);
        Path keyFile = clusterKeyOption != null ? clusterKeyOption : keyEnv == null ? null : Path.of(keyEnv);
        String keySource = clusterKeyOption != null ? CLUSTER_KEY_OPTION : CLUSTER_KEY_ENV;
        Path credentialFile = credentialOption != null ? credentialOption
                : credentialEnv == null ? null : Path.of(credentialEnv);
        String credentialSource = credentialOption != null ? CREDENTIAL_OPTION : CREDENTIAL_ENV;
        if (keyFile != null && credentialFile != null) {
            throw new IllegalArgumentException("both " + keySource + " (" + keyFile + ": a node key, acting as admin) and "
                    + credentialSource + " (" + credentialFile + ": an operator's credential) are given; raftctl acts "
                    + "with one key: give only one of them");
        }
        try {
            if (credentialFile != null) {
                return new Credential(Kind.OPERATOR, credentialFile, credentialSource,
                        ClusterAuth.with(Keyring.forOperator(credentialFile)));
            }
            if (keyFile != null) {
                return new Credential(Kind.NODE, keyFile, keySource,
                        ClusterAuth.with(Keyring.forClientWithNodeKeys(keyFile)));
            }
        } catch (AuthException e) {
            throw new IllegalArgumentException((credentialFile != null ? credentialSource : keySource) + ": "
                    + e.getMessage());
        }
        return none();
    }

    /** The fingerprint of the key requests are sealed with; null without a key. */
    public String fingerprint() {
        return auth.enabled() ? auth.keyring().primary().fingerprint() : null;
    }

    /** The operator's name in the credential file; null for a node key or none. */
    public String operatorName() {
        return kind == Kind.OPERATOR ? auth.keyring().primary().identity().name() : null;
    }

    /**
     * Where the key came from, for people: "credential from ~/ops/alice.cred
     * (RAFT_CREDENTIAL_FILE)", "node key from /etc/raftd/cluster.key (--cluster-key-file)", or
     * "no key (no --credential-file or --cluster-key-file, no RAFT_CREDENTIAL_FILE or RAFT_CLUSTER_KEY_FILE)".
     */
    public String describe(Path home) {
        return switch (kind) {
            case NONE -> "no key (no " + CREDENTIAL_OPTION + " or " + CLUSTER_KEY_OPTION + ", no " + CREDENTIAL_ENV
                    + " or " + CLUSTER_KEY_ENV + ")";
            case OPERATOR -> "credential from " + shown(file, home) + " (" + source + ")";
            case NODE -> "node key from " + shown(file, home) + " (" + source + ")";
        };
    }

    /** {@code file} with the home directory written {@code ~}, as people type it. */
    static String shown(Path file, Path home) {
        Path abs = file.toAbsolutePath().normalize();
        if (home != null) {
            Path h = home.toAbsolutePath().normalize();
            if (abs.startsWith(h) && !abs.equals(h)) {
                return "~/" + h.relativize(abs);
            }
        }
        return file.toString();
    }
}

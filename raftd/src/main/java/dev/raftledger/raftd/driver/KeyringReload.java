package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.AuthException;
import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Key;
import dev.raftledger.common.auth.Keyring;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a node's keys file and operators file again and installs the keyring they hold (raftd
 * does so on SIGHUP; docs/security.md, "Rotating the cluster key"). The new keyring takes effect
 * at once for every datagram opened or sealed after it: nothing else of the node stops or waits.
 *
 * <p>Threads: called from the signal handler's thread (or a test's); reloads run one at a time.
 * Listener threads keep opening datagrams meanwhile, each with the keyring installed when it
 * arrived ({@link ClusterAuth#reload}).
 *
 * <p>Errors: a file that is missing, unreadable, readable by others or invalid leaves the keyring
 * in force as it was; the reload is logged as an ERROR with the reason and counted
 * ({@link DriverCounters#keyringReloadFailures}). A node started without a key has nothing to
 * reload: a WARN says so and nothing changes (a key is taken only at start).
 */
public final class KeyringReload {

    private static final Logger LOG = LoggerFactory.getLogger("raftd");

    private final String node;
    private final ClusterAuth auth;
    private final Path keysFile;
    private final Path operatorsFile;
    private final DriverCounters counters;

    /**
     * @param keysFile      the keys file the node started with; null if it has none
     * @param operatorsFile the operators file it started with; null for none
     */
    public KeyringReload(String node, ClusterAuth auth, Path keysFile, Path operatorsFile, DriverCounters counters) {
        this.node = node;
        this.auth = auth;
        this.keysFile = keysFile;
        this.operatorsFile = operatorsFile;
        this.counters = counters;
    }

    /** Reads the files and installs their keyring; whether it took effect. Never throws. */
    public synchronized boolean reload() {
        if (!auth.enabled() || keysFile == null) {
            LOG.warn("{}: asked to reload its keyring (SIGHUP), but it was started without a cluster key file: "
                    + "nothing to reload (a key is taken only at start: restart with --cluster-key-file)", node);
            return false;
        }
        Keyring next;
        try {
            next = Keyring.forNode(keysFile, operatorsFile);
        } catch (AuthException | RuntimeException e) {
            counters.keyringReloadFailures.incrementAndGet();
            LOG.error("{}: keyring reload refused, the keyring in force stays ({}): {}", node,
                    describe(auth.keyring()), e.getMessage());
            return false;
        }
        auth.reload(next);
        counters.keyringReloads.incrementAndGet();
        LOG.info("{} reloaded its keyring: {}", node, describe(next));
        return true;
    }

    /** "primary 1a2b..., node keys [1a2b..., 3c4d...], 2 operators". */
    public static String describe(Keyring k) {
        return "primary " + k.primary().fingerprint() + ", node keys "
                + k.nodeKeys().stream().map(Key::fingerprint).collect(Collectors.joining(", ", "[", "]")) + ", "
                + k.operators() + (k.operators() == 1 ? " operator" : " operators");
    }
}

package dev.raftledger.raftctl;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Decides which cluster raftctl talks to. The first of these that is given wins:
 * <ol>
 *   <li>{@code --cluster Name=host,...}</li>
 *   <li>{@code --config FILE}</li>
 *   <li>environment variable {@code RAFT_CLUSTER}</li>
 *   <li>environment variable {@code RAFTCTL_CONFIG} (a file)</li>
 *   <li>{@code ~/.config/raftctl/cluster}, if it exists</li>
 *   <li>the local five-node cluster, Node1-Node5 on 127.0.0.1-127.0.0.5</li>
 * </ol>
 * Flags come before variables so that a one-off {@code --config} is not silently overridden by a
 * {@code RAFT_CLUSTER} exported in a profile. A file named explicitly must exist; the default
 * file is optional.
 */
final class ClusterResolver {

    static final String CLUSTER_ENV = "RAFT_CLUSTER";
    static final String CONFIG_ENV = "RAFTCTL_CONFIG";
    static final Path DEFAULT_CONFIG = Path.of(".config", "raftctl", "cluster");

    /** The cluster and, for the shell's banner and error messages, where it came from. */
    record Resolved(ClusterSpec cluster, String source) {}

    private ClusterResolver() {}

    /**
     * @throws IllegalArgumentException when the chosen source is unreadable or not a valid cluster;
     *                                  the message names the source
     */
    static Resolved resolve(String clusterFlag, Path configFlag, Environment env, Ports ports) {
        if (clusterFlag != null) {
            return new Resolved(parse(clusterFlag, "--cluster", ports), "--cluster");
        }
        if (configFlag != null) {
            return new Resolved(read(configFlag, "--config", ports), "--config " + configFlag);
        }
        String fromEnv = env.variable(CLUSTER_ENV);
        if (fromEnv != null) {
            return new Resolved(parse(fromEnv, CLUSTER_ENV, ports), CLUSTER_ENV);
        }
        String configEnv = env.variable(CONFIG_ENV);
        if (configEnv != null) {
            Path file = Path.of(configEnv);
            return new Resolved(read(file, CONFIG_ENV, ports), CONFIG_ENV + "=" + file);
        }
        Path defaultFile = env.home().resolve(DEFAULT_CONFIG);
        if (Files.isRegularFile(defaultFile)) {
            return new Resolved(read(defaultFile, "config file", ports), defaultFile.toString());
        }
        return new Resolved(ClusterSpec.parse(ClusterSpec.LOCAL_FIVE, ports), "default local cluster");
    }

    private static ClusterSpec parse(String spec, String source, Ports ports) {
        try {
            return ClusterSpec.parse(spec, ports);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static ClusterSpec read(Path file, String source, Ports ports) {
        try {
            // parseFile already prefixes its own errors with the file name
            return ClusterSpec.parseFile(file, ports);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(source + ": no such file: " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.raftledger.raftd;

import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.ClusterConfig;
import dev.raftledger.raftd.store.ClusterId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options {@code raftd restore} and {@code raftd recover} share: the member and the new cluster's members. */
final class NewClusterOptions {

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The member whose data dir this is, one of --cluster's.")
    String name;

    @Option(names = {"--cluster", "--members"}, required = true, paramLabel = "Name=host,...",
            description = "Every member of the new cluster, all voters, exactly as each of them will be started "
                    + "(the same list, in any order, for every member).")
    String cluster;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The member's data dir. Default: ./NAME.raftd")
    Path dataDir;

    @Option(names = "--cluster-id", paramLabel = "ID",
            description = "The new cluster's id, 16 lower-case hex digits. Default: derived from the backup and the "
                    + "members' names, the same for every member restored with the same arguments")
    String clusterId;

    /** The new configuration: every member of --cluster a voter; a usage error if NAME is not one of them. */
    ClusterConfig members(CommandSpec spec) {
        ClusterSpec parsed;
        try {
            parsed = ClusterSpec.parse(cluster, Ports.SEED);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
        }
        if (!parsed.contains(name)) {
            throw new ParameterException(spec.commandLine(), "--name: unknown node '" + name + "'; --cluster has "
                    + String.join(", ", parsed.names()));
        }
        if (clusterId != null && !ClusterId.valid(clusterId)) {
            throw new ParameterException(spec.commandLine(), "--cluster-id must be 16 lower-case hex digits, not '"
                    + clusterId + "'");
        }
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (NodeAddress n : parsed.nodes()) {
            members.add(new ClusterConfig.Member(n.name(), n.host(), ClusterConfig.Suffrage.VOTER));
        }
        return ClusterConfig.of(members);
    }

    Path dataDir() {
        return dataDir != null ? dataDir : Path.of(name + ".raftd");
    }

    /** How to start the member afterwards. */
    String startLine() {
        return "raftd --name " + name + " --cluster " + cluster + " --data-dir " + dataDir();
    }
}

package dev.raftledger.raftd;

import dev.raftledger.common.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code raftd --version}. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"raftd " + BuildInfo.version() + " (Java " + Runtime.version() + ")"};
    }
}

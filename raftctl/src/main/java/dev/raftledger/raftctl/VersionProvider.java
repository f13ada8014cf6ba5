package dev.raftledger.raftctl;

import dev.raftledger.common.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code raftctl --version}. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"raftctl " + BuildInfo.version() + " (Java " + Runtime.version() + ")"};
    }
}

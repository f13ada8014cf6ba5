package dev.raftledger.raftd.driver;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import dev.raftledger.raftd.core.CoreStatus;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import dev.raftledger.raftd.metrics.KeyringMetrics;
import dev.raftledger.raftd.metrics.NodeProbe;
import dev.raftledger.raftd.metrics.SessionGauge;
import dev.raftledger.raftd.metrics.SpaceMetrics;
import dev.raftledger.raftd.metrics.TransportCounters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** The metrics endpoint's view of a node: the core through the event loop, the counters directly. */
final class MetricsProbe implements NodeProbe {

    private final EventLoop loop;
    private final DriverCounters counters;
    private final ClusterAuth auth;

    /** Of a node without a cluster key. */
    MetricsProbe(EventLoop loop, DriverCounters counters) {
        this(loop, counters, ClusterAuth.none());
    }

    MetricsProbe(EventLoop loop, DriverCounters counters, ClusterAuth auth) {
        this.loop = loop;
        this.counters = counters;
        this.auth = auth;
    }

    @Override
    public CompletableFuture<CoreStatus> coreStatus() {
        return loop.requestStatus();
    }

    @Override
    public SessionGauge sessions() {
        return loop.sessionGauge();
    }

    @Override
    public TransportCounters transport() {
        return new TransportCounters(counters.malformedDatagrams(), counters.unknownSenders(), counters.authFailures(),
                counters.controllerRequests(), counters.sendFailures(), counters.droppedOverload(),
                counters.unexpectedSources(), counters.oversizedDatagrams(), counters.forbidden(),
                counters.portChecksSent.get(), counters.portChecksClosed.get(), counters.portChecksReceived.get(),
                counters.readsRefusedBusy(), counters.maxHeartbeatGapMs());
    }

    @Override
    public KeyringMetrics keyring() {
        Keyring k = auth.keyring();
        if (k == null) {
            return null;
        }
        Map<String, Long> opened = new TreeMap<>();
        k.nodeKeys().forEach(key -> opened.put(key.fingerprint(), 0L));
        opened.putAll(auth.openedByKey());
        return new KeyringMetrics(counters.keyringReloads(), counters.keyringReloadFailures(), opened);
    }

    @Override
    public SpaceMetrics space() {
        SpaceMonitor.State s = loop.alarms().localState();
        if (s == null || s.reading() == null) {
            return null;
        }
        return new SpaceMetrics(s.reading().usedBytes(), s.reading().freeBytes(), s.quota().quotaBytes(),
                s.quota().minFreeBytes(), s.raised(), loop.alarms().refused());
    }
}

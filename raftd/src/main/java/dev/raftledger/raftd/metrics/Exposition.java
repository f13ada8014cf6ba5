package dev.raftledger.raftd.metrics;

import dev.raftledger.common.BuildInfo;
import dev.raftledger.raftd.core.CoreStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One scrape's text: asks the event loop for the core's status and waits for it a bounded time;
 * everything else is read directly. If the loop does not answer, the scrape still succeeds with
 * {@code raftd_event_loop_up 0} and without the core's series: a 503 would make Prometheus drop
 * every series of the node, the driver counters included (dropped_overload, for one), which are
 * what explains a loop too busy to answer. The families are the Prometheus client's snapshots,
 * written by its text format writer (version 0.0.4).
 */
public final class Exposition {

    /** How long a scrape waits for the event loop: far above its normal latency, well under Prometheus' 10 s timeout. */
    public static final Duration LOOP_WAIT = Duration.ofSeconds(1);

    /** What {@link #render} is, for the Content-Type header. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final String node;
    private final NodeProbe probe;
    private final NodeMetrics metrics;
    private final Duration loopWait;

    public Exposition(String node, NodeProbe probe, NodeMetrics metrics, Duration loopWait) {
        this.node = node;
        this.probe = probe;
        this.metrics = metrics;
        this.loopWait = loopWait;
    }

    Duration loopWait() {
        return loopWait;
    }

    /** The core's status as the event loop reports it, or null if it did not within the wait. */
    CoreStatus awaitCore() {
        try {
            return probe.coreStatus().get(loopWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The whole exposition, in the text format. */
    public String render() {
        CoreStatus core = awaitCore();
        Families w = new Families();
        // an info family: the writer appends _info to the name
        w.add(InfoSnapshot.builder().name("raftd").help("Always 1; the labels name the raftd version and this node.")
                .dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", BuildInfo.version(), "node", node)).build())
                .build());
        w.gauge("raftd_event_loop_up", "1 if the event loop answered this scrape within "
                + loopWait.toMillis() + " ms; 0 if not, and the series read from the core are missing.",
                core != null ? 1 : 0);
        if (core != null) {
            RaftSection.core(w, core);
            SessionGauge sessions = probe.sessions();
            if (sessions != null) {
                RaftSection.sessions(w, sessions);
            }
        }
        RaftSection.driver(w, metrics, probe.transport());
        KeyringMetrics keyring = probe.keyring();
        if (keyring != null) {
            RaftSection.keyring(w, keyring);
        }
        SpaceMetrics space = probe.space();
        if (space != null) {
            RaftSection.space(w, space);
        }
        JvmSection.write(w);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, w.snapshots());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

package dev.raftledger.raftd.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One scrape's metric families, gathered as the Prometheus client's snapshots (the client's
 * model checks label names and duplicate label sets; its text writer formats and escapes). Used
 * by the metrics thread only, one instance per scrape.
 */
final class Families {

    private static final String TOTAL = "_total";

    private final List<MetricSnapshot> families = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** A gauge with one sample and no labels. */
    Families gauge(String name, String help, double value) {
        return gauge(name, help, List.of(point(value)));
    }

    /** A gauge with the given samples (see {@link #point}). */
    Families gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return add(b.build());
    }

    /**
     * A counter with one sample and no labels. {@code name} is the series' name, ending in
     * {@code _total}; the client's model names the family without it and its writer appends it.
     */
    Families counter(String name, String help, double value) {
        if (!name.endsWith(TOTAL)) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        return add(CounterSnapshot.builder().name(name.substring(0, name.length() - TOTAL.length())).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build());
    }

    /** A counter with the given samples (see {@link #counterPoint}); {@code name} as for {@link #counter(String, String, double)}. */
    Families counter(String name, String help, List<CounterDataPointSnapshot> points) {
        if (!name.endsWith(TOTAL)) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name.substring(0, name.length() - TOTAL.length()))
                .help(help);
        points.forEach(b::dataPoint);
        return add(b.build());
    }

    /**
     * A family the client made (a histogram's {@code collect()}, an info, a summary). A name
     * given twice is an IllegalStateException here: the client would merge two families of one
     * name, and fail only when writing them if their labels clash.
     */
    Families add(MetricSnapshot family) {
        if (!names.add(family.getMetadata().getPrometheusName())) {
            throw new IllegalStateException("metric family " + family.getMetadata().getPrometheusName()
                    + " written twice");
        }
        families.add(family);
        return this;
    }

    /** One gauge sample; {@code labels} alternate name and value. */
    static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    /** One counter sample; {@code labels} alternate name and value. */
    static CounterDataPointSnapshot counterPoint(double value, String... labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    /** The families gathered so far. */
    MetricSnapshots snapshots() {
        return new MetricSnapshots(families);
    }
}

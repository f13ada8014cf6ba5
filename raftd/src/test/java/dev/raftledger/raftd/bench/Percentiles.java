package dev.raftledger.raftd.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Nearest-rank percentiles of a set of samples in milliseconds. */
final class Percentiles {

    private final List<Double> sorted;

    Percentiles(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
    }

    double at(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    double max() {
        return sorted.get(sorted.size() - 1);
    }

    double min() {
        return sorted.get(0);
    }

    String summary() {
        return String.format(Locale.ROOT, "n=%d min=%.1f p50=%.1f p90=%.1f max=%.1f ms",
                sorted.size(), min(), at(50), at(90), max());
    }
}

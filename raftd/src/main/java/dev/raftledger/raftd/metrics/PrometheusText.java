package dev.raftledger.raftd.metrics;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per family one {@code # HELP}
 * and one {@code # TYPE} line, then its samples. Names are checked here, so a typo fails in the
 * unit tests instead of making a scrape unparseable; label values and help texts are escaped.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Families of one type. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();

    /** Starts a family: its HELP and TYPE lines. Each name may start one family only. */
    public PrometheusText family(String name, Type type, String help) {
        checkName(name);
        if (!families.add(name)) {
            throw new IllegalStateException("metric family " + name + " written twice");
        }
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type.wireName()).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name and value. */
    public PrometheusText sample(String name, double value, String... labels) {
        checkName(name);
        out.append(name);
        if (labels.length > 0) {
            if (labels.length % 2 != 0) {
                throw new IllegalArgumentException("labels come in name, value pairs: " + String.join(",", labels));
            }
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name: " + labels[i]);
                }
                out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1]))
                        .append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** A family with one sample and no labels. */
    public PrometheusText single(String name, Type type, String help, double value) {
        return family(name, type, help).sample(name, value);
    }

    /** A histogram family: cumulative {@code _bucket} series ending in {@code le="+Inf"}, {@code _sum}, {@code _count}. */
    public PrometheusText histogram(String name, String help, Histogram.Snapshot s) {
        family(name, Type.HISTOGRAM, help);
        for (int i = 0; i < s.boundsSeconds().length; i++) {
            sample(name + "_bucket", s.cumulativeCounts()[i], "le", number(s.boundsSeconds()[i]));
        }
        sample(name + "_bucket", s.count(), "le", "+Inf");
        sample(name + "_sum", s.sumSeconds());
        return sample(name + "_count", s.count());
    }

    public String text() {
        return out.toString();
    }

    /**
     * A value as Go's ParseFloat reads it (what Prometheus uses): whole numbers without a
     * fraction or exponent, others in plain decimal, and the three special values.
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Label values: backslash, double quote and line feed are escaped, as the format requires. */
    static String escapeLabel(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '"') {
                b.append("\\\"");
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Help texts: only backslash and line feed are escaped (a quote is literal there). */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void checkName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name: " + name);
        }
    }
}

package dev.raftledger.raftd.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4), for tests: {@link #parse} fails with
 * the offending line on anything a Prometheus server would refuse or misread: bad names or
 * label syntax, a sample before its family's TYPE, two TYPEs for one family, a family split in
 * two, a series given twice, a negative counter, histogram buckets that shrink or do not end
 * in +Inf equal to _count.
 */
public final class ParsedExposition {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: its name, labels (unescaped) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private ParsedExposition() {}

    public static ParsedExposition parse(String text) {
        ParsedExposition p = new ParsedExposition();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        Set<String> helped = new java.util.HashSet<>();
        Set<String> closed = new java.util.HashSet<>();
        Set<String> series = new java.util.HashSet<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + n + ": " + line;
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ", 4);
                if (parts.length < 4 || !NAME.matcher(parts[2]).matches()) {
                    throw new AssertionError("bad comment, " + where);
                }
                String family = parts[2];
                if (!family.equals(current)) {
                    if (current != null) {
                        closed.add(current);
                    }
                    if (closed.contains(family)) {
                        throw new AssertionError("family " + family + " split in two, " + where);
                    }
                    current = family;
                }
                if (line.startsWith("# HELP ")) {
                    if (!helped.add(family)) {
                        throw new AssertionError("second HELP, " + where);
                    }
                } else {
                    if (!TYPES.contains(parts[3])) {
                        throw new AssertionError("unknown type, " + where);
                    }
                    if (p.types.putIfAbsent(family, parts[3]) != null) {
                        throw new AssertionError("second TYPE, " + where);
                    }
                    if (p.samples.stream().anyMatch(s -> familyOf(s.name(), parts[3]).equals(family))) {
                        throw new AssertionError("TYPE after samples of its family, " + where);
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue; // other comments are allowed and ignored
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample, " + where);
            }
            String name = m.group(1);
            Map<String, String> labels = labels(m.group(3), where);
            double value = value(m.group(4), where);
            if (current == null || !familyOf(name, p.types.getOrDefault(current, "untyped")).equals(current)) {
                throw new AssertionError("sample outside its family's TYPE block, " + where);
            }
            if (!p.types.containsKey(current)) {
                throw new AssertionError("sample before its TYPE, " + where);
            }
            if (!series.add(name + new TreeMap<>(labels))) {
                throw new AssertionError("series given twice, " + where);
            }
            if (p.types.get(current).equals("counter") && !(value >= 0)) {
                throw new AssertionError("negative counter, " + where);
            }
            p.samples.add(new Sample(name, labels, value));
        }
        p.types.forEach((family, type) -> {
            if (type.equals("histogram")) {
                p.checkHistogram(family);
            }
        });
        return p;
    }

    /** The family a sample belongs to, given the type of the family it is read under. */
    private static String familyOf(String name, String type) {
        if (type.equals("histogram")) {
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
        }
        if (type.equals("summary")) {
            for (String suffix : List.of("_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
        }
        return name;
    }

    private static Map<String, String> labels(String text, String where) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("bad labels, " + where);
            }
            String value = unescape(m.group(2));
            if (labels.put(m.group(1), value) != null) {
                throw new AssertionError("label given twice, " + where);
            }
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw new AssertionError("labels not separated by commas, " + where);
                }
                at++;
            }
        }
        return labels;
    }

    private static String unescape(String escaped) {
        StringBuilder b = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                char next = escaped.charAt(++i); // the label pattern admits only \\, \" and \n
                b.append(next == 'n' ? '\n' : next);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static double value(String text, String where) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value, " + where);
                }
        }
    }

    private void checkHistogram(String family) {
        Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
        for (Sample s : samples) {
            if (s.name().equals(family + "_bucket")) {
                Map<String, String> rest = new TreeMap<>(s.labels());
                if (rest.remove("le") == null) {
                    throw new AssertionError(family + ": a bucket without le: " + s);
                }
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            }
        }
        if (buckets.isEmpty()) {
            throw new AssertionError(family + ": a histogram without buckets");
        }
        buckets.forEach((rest, list) -> {
            double lastBound = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample b : list) {
                double bound = value(b.labels().get("le"), family);
                if (bound <= lastBound || b.value() < lastCount) {
                    throw new AssertionError(family + ": buckets must grow in le and count: " + list);
                }
                lastBound = bound;
                lastCount = b.value();
            }
            if (lastBound != Double.POSITIVE_INFINITY) {
                throw new AssertionError(family + ": the last bucket must be le=\"+Inf\": " + list);
            }
            Sample count = find(family + "_count", rest);
            if (count == null || count.value() != lastCount) {
                throw new AssertionError(family + ": _count must equal the +Inf bucket: " + count + " vs " + lastCount);
            }
            if (find(family + "_sum", rest) == null) {
                throw new AssertionError(family + ": _sum missing");
            }
        });
    }

    private Sample find(String name, Map<String, String> labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && new TreeMap<>(s.labels()).equals(new TreeMap<>(labels))) {
                return s;
            }
        }
        return null;
    }

    /** Family name to type, in order of appearance. */
    public Map<String, String> types() {
        return types;
    }

    public List<Sample> samples() {
        return samples;
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * The cumulative count of a histogram's bucket, found by the value of its {@code le} bound
     * rather than its spelling ("0.001", "1" and "1.0" are one bound, as for Prometheus).
     */
    public double bucket(String family, double le) {
        for (Sample s : samples) {
            if (s.name().equals(family + "_bucket") && s.labels().size() == 1
                    && value(s.labels().get("le"), family) == le) {
                return s.value();
            }
        }
        throw new AssertionError("no bucket le=" + le + " of " + family + " in the exposition");
    }

    /** The value of the series with this name and these labels (name, value pairs); fails if absent. */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Sample s = find(name, wanted);
        if (s == null) {
            throw new AssertionError("no series " + name + wanted + " in the exposition");
        }
        return s.value();
    }
}

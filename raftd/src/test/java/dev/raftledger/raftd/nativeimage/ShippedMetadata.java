package dev.raftledger.raftd.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.MalformedMessageException;
import dev.raftledger.raftd.nativeimage.ClassPathIndex.Root;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The native-image metadata in a set of class-path roots: every file under META-INF/native-image
 * in the legacy JSON formats (reflect-config, resource-config, proxy-config, jni-config,
 * serialization-config) and native-image.properties. JSON is read with the codec's tree reader.
 */
public final class ShippedMetadata {

    static final String PREFIX = "META-INF/native-image/";

    /** A method or constructor ("&lt;init&gt;") in a reflect entry; null parameter types means any overload. */
    public record MethodSpec(String name, List<String> parameterTypes) {

        @Override
        public String toString() {
            return name + (parameterTypes == null ? "(..)" : "(" + String.join(",", parameterTypes) + ")");
        }
    }

    /** One class in reflect-config (or jni-/serialization-config), with the file it came from. */
    public record ReflectEntry(String source, String name, boolean allDeclaredConstructors,
                               boolean allPublicConstructors, boolean allDeclaredMethods, boolean allPublicMethods,
                               boolean allDeclaredFields, boolean allPublicFields, List<String> fields,
                               List<MethodSpec> methods) {}

    /** One resource include, compiled. */
    public record ResourceRule(String source, String pattern, Pattern regex) {}

    /** One proxy: the interfaces it implements. */
    public record ProxySpec(String source, List<String> interfaces) {}

    /** native-image.properties: its Args, split into words. */
    public record ImageProperties(String source, List<String> args) {}

    private final List<String> files = new ArrayList<>();
    private final List<ReflectEntry> reflection = new ArrayList<>();
    private final List<ResourceRule> resources = new ArrayList<>();
    private final List<String> bundles = new ArrayList<>();
    private final List<ProxySpec> proxies = new ArrayList<>();
    private final List<ImageProperties> properties = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private ShippedMetadata() {}

    /** Everything under META-INF/native-image/ in these roots. */
    public static ShippedMetadata read(List<Root> roots) {
        ShippedMetadata m = new ShippedMetadata();
        for (Root root : roots) {
            for (String file : root.files()) {
                if (file.startsWith(PREFIX)) {
                    m.readFile(root, file);
                }
            }
        }
        return m;
    }

    public List<String> files() {
        return List.copyOf(files);
    }

    public List<ReflectEntry> reflection() {
        return List.copyOf(reflection);
    }

    public List<ResourceRule> resources() {
        return List.copyOf(resources);
    }

    public List<String> bundles() {
        return List.copyOf(bundles);
    }

    public List<ProxySpec> proxies() {
        return List.copyOf(proxies);
    }

    public List<ImageProperties> properties() {
        return List.copyOf(properties);
    }

    /** Files that could not be read, or are of a kind this reader does not know. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The reflect entries for one class (a class may appear in several files). */
    public List<ReflectEntry> entriesFor(String className) {
        return reflection.stream().filter(e -> e.name().equals(className)).toList();
    }

    /** Whether some include pattern matches this resource name in full. */
    public boolean coversResource(String name) {
        return resources.stream().anyMatch(r -> r.regex().matcher(name).matches());
    }

    private void readFile(Root root, String file) {
        String where = root.label() + "!/" + file;
        String base = file.substring(file.lastIndexOf('/') + 1);
        files.add(where);
        try {
            String text = new String(root.read(file), StandardCharsets.UTF_8);
            switch (base) {
                case "reflect-config.json":
                case "reflection-config.json": // JLine's name, passed with -H:ReflectionConfigurationResources
                case "jni-config.json":
                case "serialization-config.json":
                    readReflection(where, json(text));
                    break;
                case "resource-config.json":
                    readResources(where, json(text));
                    break;
                case "proxy-config.json":
                    readProxies(where, json(text));
                    break;
                case "native-image.properties":
                    readProperties(where, text);
                    break;
                default:
                    problems.add(where + ": not a metadata file this test reads (reachability-metadata.json "
                            + "or another new format: teach ShippedMetadata to read it)");
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            problems.add(where + ": cannot read: " + e.getMessage());
        }
    }

    private static JsonNode json(String text) throws IOException {
        try {
            return Codec.readTree(text); // the codec's tree reader: no ObjectMapper in this project
        } catch (MalformedMessageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void readReflection(String where, JsonNode root) {
        JsonNode entries = root.isArray() ? root : root.path("reflection");
        for (JsonNode e : entries) {
            List<String> fields = new ArrayList<>();
            e.path("fields").forEach(f -> fields.add(f.path("name").asText()));
            List<MethodSpec> methods = new ArrayList<>();
            for (String key : List.of("methods", "queriedMethods")) {
                for (JsonNode m : e.path(key)) {
                    List<String> params = null;
                    if (m.has("parameterTypes")) {
                        params = new ArrayList<>();
                        for (JsonNode t : m.get("parameterTypes")) {
                            params.add(t.asText());
                        }
                    }
                    methods.add(new MethodSpec(m.path("name").asText(), params == null ? null : List.copyOf(params)));
                }
            }
            String name = e.has("name") ? e.get("name").asText() : e.path("type").asText();
            reflection.add(new ReflectEntry(where, name, flag(e, "allDeclaredConstructors"),
                    flag(e, "allPublicConstructors"), flag(e, "allDeclaredMethods"), flag(e, "allPublicMethods"),
                    flag(e, "allDeclaredFields"), flag(e, "allPublicFields"), List.copyOf(fields), List.copyOf(methods)));
        }
    }

    private static boolean flag(JsonNode e, String name) {
        return e.path(name).asBoolean(false);
    }

    private void readResources(String where, JsonNode root) {
        JsonNode res = root.path("resources");
        JsonNode includes = res.isArray() ? res : res.path("includes"); // old and 21.x formats
        for (JsonNode inc : includes) {
            String pattern = inc.path("pattern").asText(null);
            if (pattern == null) {
                problems.add(where + ": resource include without a pattern: " + inc);
                continue;
            }
            try {
                resources.add(new ResourceRule(where, pattern, Pattern.compile(pattern)));
            } catch (PatternSyntaxException e) {
                problems.add(where + ": bad resource pattern '" + pattern + "': " + e.getDescription());
            }
        }
        for (JsonNode b : root.path("bundles")) {
            bundles.add(b.path("name").asText());
        }
    }

    private void readProxies(String where, JsonNode root) {
        for (JsonNode p : root) {
            JsonNode interfaces = p.isArray() ? p : p.path("interfaces");
            List<String> names = new ArrayList<>();
            interfaces.forEach(i -> names.add(i.asText()));
            proxies.add(new ProxySpec(where, List.copyOf(names)));
        }
    }

    private void readProperties(String where, String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        String args = p.getProperty("Args", "").trim();
        properties.add(new ImageProperties(where, args.isEmpty() ? List.of() : List.of(args.split("\\s+"))));
    }
}

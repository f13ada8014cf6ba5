package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The --json schemas of docs/json-schemas, and a checker for the part of JSON Schema (2020-12)
 * they use: {@code type}, {@code enum}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code anyOf} and {@code $ref} (to a file, with an
 * optional {@code #/json/pointer}). Any other keyword is reported as a problem rather than
 * ignored, so a schema can never promise more than this checker enforces.
 */
public final class JsonSchemas {

    /** Words that only annotate: they constrain nothing. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "$comment", "title", "description",
            "x-raftctl-commands");

    /** The repository's docs directory: the build passes repo.root; from the raftctl module it is "..". */
    public static Path docs() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize().resolve("docs");
    }

    public static Path dir() {
        return docs().resolve("json-schemas");
    }

    private final Map<String, JsonNode> files;

    private JsonSchemas(Map<String, JsonNode> files) {
        this.files = files;
    }

    public static JsonSchemas load() {
        Map<String, JsonNode> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir())) {
            for (Path p : list.filter(f -> f.toString().endsWith(".json")).toList()) {
                files.put(p.getFileName().toString(), Codec.readTree(Files.readString(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas in " + dir(), e);
        } catch (Exception e) {
            throw new IllegalStateException("a schema in " + dir() + " is not JSON: " + e.getMessage(), e);
        }
        return new JsonSchemas(files);
    }

    /** File name -> schema, in name order. */
    public Map<String, JsonNode> files() {
        return files;
    }

    public JsonNode file(String name) {
        JsonNode s = files.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no schema " + name + " in " + dir());
        }
        return s;
    }

    /** The schema a {@code $ref} names: "file.json" or "file.json#/pointer". */
    public JsonNode resolve(String ref) {
        int hash = ref.indexOf('#');
        JsonNode file = file(hash < 0 ? ref : ref.substring(0, hash));
        if (hash < 0) {
            return file;
        }
        JsonNode target = file.at(ref.substring(hash + 1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("$ref " + ref + " points at nothing");
        }
        return target;
    }

    /** Every way {@code doc} breaks the schema in {@code file}, each with its JSON path; empty if none. */
    public List<String> check(String file, JsonNode doc) {
        List<String> problems = new ArrayList<>();
        check(file(file), doc, "$", problems);
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            JsonNode arg = schema.get(keyword);
            if (ANNOTATIONS.contains(keyword)) {
                continue;
            }
            switch (keyword) {
                case "$ref":
                    check(resolve(arg.asText()), value, path, problems);
                    break;
                case "type":
                    if (!typeMatches(arg, value)) {
                        problems.add(path + ": " + typeOf(value) + " where the schema allows " + arg);
                    }
                    break;
                case "enum":
                    if (!contains(arg, value)) {
                        problems.add(path + ": " + value + " is not one of " + arg);
                    }
                    break;
                case "properties":
                    if (value.isObject()) {
                        for (Map.Entry<String, JsonNode> p : arg.properties()) {
                            if (value.has(p.getKey())) {
                                check(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), problems);
                            }
                        }
                    }
                    break;
                case "required":
                    if (value.isObject()) {
                        arg.forEach(name -> {
                            if (!value.has(name.asText())) {
                                problems.add(path + ": missing field '" + name.asText() + "'");
                            }
                        });
                    }
                    break;
                case "additionalProperties":
                    if (value.isObject()) {
                        JsonNode declared = schema.path("properties");
                        for (Map.Entry<String, JsonNode> f : value.properties()) {
                            if (declared.has(f.getKey())) {
                                continue;
                            }
                            if (!arg.isBoolean()) {
                                check(arg, f.getValue(), path + "." + f.getKey(), problems);
                            } else if (!arg.asBoolean()) {
                                problems.add(path + ": field '" + f.getKey() + "' is not in the schema");
                            }
                        }
                    }
                    break;
                case "items":
                    if (value.isArray()) {
                        for (int i = 0; i < value.size(); i++) {
                            check(arg, value.get(i), path + "[" + i + "]", problems);
                        }
                    }
                    break;
                case "anyOf":
                    boolean any = false;
                    List<String> why = new ArrayList<>();
                    for (JsonNode option : arg) {
                        List<String> p = new ArrayList<>();
                        check(option, value, path, p);
                        any |= p.isEmpty();
                        why.addAll(p);
                    }
                    if (!any) {
                        problems.add(path + ": matches none of anyOf: " + why);
                    }
                    break;
                default:
                    problems.add(path + ": the schema uses '" + keyword + "', which this checker does not enforce");
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (isType(t.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return isType(type.asText(), value);
    }

    public static boolean isType(String type, JsonNode value) {
        switch (type) {
            case "null":
                return value.isNull();
            case "boolean":
                return value.isBoolean();
            case "integer":
                return value.isIntegralNumber();
            case "number":
                return value.isNumber();
            case "string":
                return value.isTextual();
            case "array":
                return value.isArray();
            case "object":
                return value.isObject();
            default:
                throw new IllegalArgumentException("unknown JSON Schema type '" + type + "'");
        }
    }

    private static String typeOf(JsonNode value) {
        for (String t : List.of("null", "boolean", "integer", "number", "string", "array", "object")) {
            if (isType(t, value)) {
                return t;
            }
        }
        return value.getNodeType().toString();
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }
}

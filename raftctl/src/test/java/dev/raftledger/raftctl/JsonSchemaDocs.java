package dev.raftledger.raftctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The field tables of docs/raftctl.md ("JSON schemas"), generated from the schema files, so the
 * prose cannot drift from what the tests check. One table per schema file: every field, with
 * nested ones as {@code nodes[].name}; a field typed by another file's schema links to it by title.
 */
public final class JsonSchemaDocs {

    public static final String BEGIN = "<!-- json-schema %s: generated from docs/json-schemas/%s; -Draftctl.updateDocs=true rewrites it -->";
    public static final String END = "<!-- /json-schema -->";

    private final JsonSchemas schemas;

    public JsonSchemaDocs(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    /** The whole block for {@code file}, markers included. */
    public String block(String file) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(BEGIN, file, file)).append('\n');
        b.append("| field | type | meaning |\n| --- | --- | --- |\n");
        JsonNode schema = schemas.file(file);
        List<String[]> rows = new ArrayList<>();
        if ("array".equals(schema.path("type").asText())) {
            rows.add(new String[] {"(the document)", type(file, schema), meaning(schema)});
        } else {
            fields(file, schema, "", rows);
        }
        for (String[] r : rows) {
            b.append("| `").append(r[0]).append("` | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
        }
        return b.append(END).toString();
    }

    private void fields(String file, JsonNode objectSchema, String prefix, List<String[]> rows) {
        for (Map.Entry<String, JsonNode> p : objectSchema.path("properties").properties()) {
            String name = prefix + p.getKey();
            JsonNode field = p.getValue();
            rows.add(new String[] {name, type(file, field), meaning(field)});
            JsonNode inner = expandable(file, field);
            if (inner != null && inner.has("properties")) {
                fields(file, inner, name + (isArray(field) ? "[]." : "."), rows);
            }
        }
    }

    /** The object whose fields are listed under this field's: its items' or its own, when in this file. */
    private JsonNode expandable(String file, JsonNode field) {
        JsonNode target = isArray(field) ? field.path("items") : field;
        if (target.has("$ref")) {
            String ref = target.get("$ref").asText();
            return ref.startsWith(file + "#") ? schemas.resolve(ref) : null;
        }
        return target.has("properties") ? target : null;
    }

    private static boolean isArray(JsonNode field) {
        return "array".equals(field.path("type").asText());
    }

    /** "string", "integer or null", "array of strings", "array of objects", "`expense` or null", "any". */
    private String type(String file, JsonNode field) {
        if (field.has("$ref")) {
            return refName(file, field.get("$ref").asText());
        }
        if (field.has("anyOf")) {
            List<String> options = new ArrayList<>();
            field.get("anyOf").forEach(o -> options.add(type(file, o)));
            return String.join(" or ", options);
        }
        JsonNode type = field.get("type");
        if (type == null) {
            return "any";
        }
        List<String> names = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> names.add(t.asText()));
        } else {
            names.add(type.asText());
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(n.equals("array") ? "array of " + plural(file, field.path("items")) : n);
        }
        return String.join(" or ", out);
    }

    private String plural(String file, JsonNode items) {
        if (items.has("$ref")) {
            String ref = items.get("$ref").asText();
            return ref.startsWith(file + "#") ? "objects" : refName(file, ref) + " objects";
        }
        if (items.has("properties")) {
            return "objects";
        }
        String t = items.path("type").asText("any");
        return t.equals("any") ? "values" : t + "s";
    }

    /** A $ref into this file is "object"; into another, that schema's title in backquotes. */
    private String refName(String file, String ref) {
        if (ref.startsWith(file + "#")) {
            return "object";
        }
        String title = schemas.resolve(ref).path("title").asText(ref);
        return "`" + title + "`";
    }

    private static String meaning(JsonNode field) {
        String text = field.path("description").asText("").replace("|", "\\|");
        JsonNode values = field.get("enum");
        if (values != null) {
            List<String> v = new ArrayList<>();
            values.forEach(e -> v.add("`" + e.asText() + "`"));
            text += (text.isEmpty() ? "" : ": ") + String.join(", ", v);
        }
        return text;
    }
}

package dev.raftledger.raftctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The schema files against the rules docs/raftctl.md states and against the docs' own tables:
 * every field always present, no undeclared field allowed, every command covered, and each
 * generated table in docs/raftctl.md up to date. After changing a schema, regenerate the tables
 * with {@code -Draftctl.updateDocs=true}.
 */
class JsonSchemaDocTest {

    static final String UPDATE_DOCS = "raftctl.updateDocs";

    @TempDir
    Path home;

    private final JsonSchemas schemas = JsonSchemas.load();

    @Test
    void theDocsShowEverySchemasTableAsGenerated() throws Exception {
        Path doc = JsonSchemas.docs().resolve("raftctl.md");
        String text = Files.readString(doc, UTF_8);
        JsonSchemaDocs docs = new JsonSchemaDocs(schemas);
        List<String> stale = new ArrayList<>();
        for (String file : schemas.files().keySet()) {
            String begin = String.format(JsonSchemaDocs.BEGIN, file, file);
            int at = text.indexOf(begin);
            if (at < 0) {
                fail("docs/raftctl.md has no table for " + file + "; put this where it belongs:\n" + docs.block(file));
            }
            int end = text.indexOf(JsonSchemaDocs.END, at);
            assertTrue(end > at, "the table of " + file + " is not closed with " + JsonSchemaDocs.END);
            String now = text.substring(at, end + JsonSchemaDocs.END.length());
            String wanted = docs.block(file);
            if (!now.equals(wanted)) {
                stale.add(file);
                text = text.substring(0, at) + wanted + text.substring(end + JsonSchemaDocs.END.length());
            }
        }
        if (!stale.isEmpty() && Boolean.getBoolean(UPDATE_DOCS)) {
            Files.writeString(doc, text, UTF_8);
            return;
        }
        assertEquals(List.of(), stale, "these tables in docs/raftctl.md differ from their schema files; "
                + "run the test with -D" + UPDATE_DOCS + "=true to rewrite them");
    }

    @Test
    void everyFieldIsRequiredAndNoOtherIsAllowed() {
        // docs/raftctl.md: every field is always present (null when unknown), so required lists them all
        for (Map.Entry<String, JsonNode> f : schemas.files().entrySet()) {
            checkObjects(f.getKey(), f.getValue(), "$");
        }
    }

    private void checkObjects(String file, JsonNode schema, String path) {
        if (schema.isObject() && schema.has("properties")) {
            Set<String> declared = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(declared::add);
            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            assertEquals(declared, required, file + " " + path + ": required must list every property");
            assertTrue(schema.has("additionalProperties"), file + " " + path + ": say whether other fields may appear");
        }
        if (schema.isContainerNode()) {
            for (Map.Entry<String, JsonNode> e : schema.properties()) {
                checkObjects(file, e.getValue(), path + "/" + e.getKey());
            }
            if (schema.isArray()) {
                for (int i = 0; i < schema.size(); i++) {
                    checkObjects(file, schema.get(i), path + "/" + i);
                }
            }
        }
    }

    @Test
    void watchIsTheStatusDocumentPlusItsOwnFields() {
        JsonNode status = schemas.file("status.json").get("properties");
        JsonNode watch = schemas.file("watch.json").get("properties");
        Set<String> extra = new TreeSet<>();
        watch.fieldNames().forEachRemaining(extra::add);
        for (Map.Entry<String, JsonNode> f : status.properties()) {
            JsonNode inWatch = watch.get(f.getKey());
            assertEquals(f.getValue(), inWatch, "watch." + f.getKey() + " as in status");
            extra.remove(f.getKey());
        }
        assertEquals(Set.of("time", "redraw", "commit_rate", "events", "verdict", "degraded"), extra);
    }

    @Test
    void everyCommandHasASchema() {
        CommandLine root = Cli.commandLine(Run.environment(Map.of(), home));
        Set<String> commands = new TreeSet<>();
        leaves(root, "", commands);
        commands.remove("help"); // prints usage, never a document
        Set<String> covered = new TreeSet<>();
        for (JsonNode schema : schemas.files().values()) {
            // "health --node" and "export --format json" are forms of health and export
            schema.path("x-raftctl-commands").forEach(c -> covered.add(c.asText().split(" -")[0]));
        }
        assertEquals(commands, covered, "every raftctl command needs its --json document in docs/json-schemas "
                + "(x-raftctl-commands), with its table in docs/raftctl.md");
    }

    private static void leaves(CommandLine cl, String prefix, Set<String> out) {
        Set<CommandLine> seen = new java.util.LinkedHashSet<>(cl.getSubcommands().values()); // aliases: one object
        for (CommandLine sub : seen) {
            String name = prefix + sub.getCommandName();
            if (sub.getSubcommands().isEmpty()) {
                out.add(name);
            } else {
                leaves(sub, name + " ", out);
            }
        }
    }
}

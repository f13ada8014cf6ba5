package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Every command's page documents all it accepts, hides what is hidden, and renders cleanly. */
class ManPageTest {

    private static List<CommandSpec> everyCommand() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandLine program : DocsGenerator.programs()) {
            all.addAll(DocsGenerator.withSubcommands(program.getCommandSpec()));
        }
        return all;
    }

    private static String page(CommandSpec spec) {
        return ManPage.render(spec, "1.2.3", "2026-01-02");
    }

    @Test
    void everyPageHasTheStandardSections() {
        for (CommandSpec spec : everyCommand()) {
            String page = page(spec);
            String name = spec.qualifiedName("-");
            assertTrue(page.startsWith(".TH " + Troff.quoted(name.toUpperCase()) + " 1 \"2026\\-01\\-02\" "
                    + "\"raftledger 1.2.3\""), name + ":\n" + page);
            for (String section : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "SEE ALSO")) {
                assertTrue(page.contains(".SH \"" + section + "\"\n"), name + " lacks " + section);
            }
            assertTrue(page.contains("\n" + Troff.text(name) + " \\- " + Troff.text(ManPage.summary(spec)) + "\n"),
                    name + ": NAME line");
            assertFalse(ManPage.summary(spec).isBlank(), name + " has a summary");
        }
    }

    @Test
    void everyVisibleOptionAndArgumentIsDocumented() {
        for (CommandSpec spec : everyCommand()) {
            String page = page(spec);
            for (OptionSpec option : spec.options()) {
                if (option.hidden() || option.inherited()) {
                    continue;
                }
                for (String name : option.names()) {
                    assertTrue(page.contains(Troff.bold(name)), spec.qualifiedName() + " lacks " + name);
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (!p.hidden() && !p.inherited()) {
                    assertTrue(page.contains(Troff.italic(p.paramLabel())), spec.qualifiedName() + " lacks "
                            + p.paramLabel());
                }
            }
        }
    }

    @Test
    void defaultsAreTheDeclaredOnesNotTheBuildEnvironments() {
        // ${env:RAFT_CLUSTER:-Node1=...} shows its fallback whatever the build machine exports
        String raftd = page(DocsGenerator.programs().get(0).getCommandSpec());
        assertTrue(raftd.contains("Default: Node1=127.0.0.1,\\:Node2=127.0.0.2"), raftd);
        assertTrue(raftd.contains("(env RAFTD_APPEND_ENTRY_PORT). Default: 9000"), raftd);
        for (CommandSpec spec : everyCommand()) {
            assertFalse(page(spec).contains("${"), spec.qualifiedName() + " has an unrendered variable");
        }
    }

    @Test
    void hiddenOptionsStayHidden() {
        String raftd = page(DocsGenerator.programs().get(0).getCommandSpec());
        assertFalse(raftd.contains("cds\\-training"), raftd);
        assertFalse(raftd.contains("fault\\-injection"), raftd);
        assertTrue(raftd.contains(Troff.bold("--check-config")), raftd);
    }

    @Test
    void raftdListsTheEnvironmentVariablesItReads() {
        String raftd = page(DocsGenerator.programs().get(0).getCommandSpec());
        assertTrue(raftd.contains(".SH \"ENVIRONMENT\""), raftd);
        for (String variable : List.of("RAFTD_NAME", "RAFT_CLUSTER", "RAFTD_DATA_DIR", "RAFTD_BIND",
                "RAFT_CLUSTER_KEY_FILE", "RAFTD_HEARTBEAT_MS")) {
            assertTrue(raftd.contains(Troff.bold(variable)), variable);
        }
    }

    @Test
    void theTopPageOfRaftctlListsEveryCommandAndSubcommandsNameTheirParent() {
        CommandSpec raftctl = DocsGenerator.programs().get(1).getCommandSpec();
        String top = page(raftctl);
        assertTrue(top.contains(".SH \"COMMANDS\""));
        for (String command : List.of("status", "leader", "timeout", "expense", "import", "wait\\-leader")) {
            assertTrue(top.contains("\\fB" + command + "\\fR"), command);
            assertTrue(top.contains("\\fBraftctl\\-" + command + "\\fR(1)"), "see also " + command);
        }
        assertFalse(top.contains("raftctl\\-help"), "no page for picocli's help command");
        String add = page(raftctl.subcommands().get("expense").getSubcommands().get("add").getCommandSpec());
        assertTrue(add.contains("\\fBraftctl\\-expense\\fR(1)"), add);
        assertTrue(add.contains("\\fBraftctl\\fR(1) are accepted too"), add);
        assertTrue(add.contains(".SH \"EXIT STATUS\""), "the program's exit statuses, inherited");
    }

    @Test
    void generatorWritesOnePagePerCommandAndTheCompletionScripts(@TempDir Path out) throws IOException {
        List<Path> written = DocsGenerator.write(out, "1.2.3", "2026-01-02");
        assertEquals(everyCommand().size() + 2, written.size());
        for (String page : List.of("raftd.1", "raftctl.1", "raftctl-status.1", "raftctl-expense-add.1")) {
            assertTrue(Files.isRegularFile(out.resolve("man/man1").resolve(page)), page);
        }
        String raftctl = Files.readString(out.resolve("completion/raftctl.bash"), StandardCharsets.UTF_8);
        assertTrue(raftctl.contains("complete -F _complete_raftctl"), "registers for raftctl");
        String raftd = Files.readString(out.resolve("completion/raftd.bash"), StandardCharsets.UTF_8);
        for (CommandSpec spec : everyCommand()) {
            if (spec.parent() != null) {
                CommandSpec root = spec;
                while (root.parent() != null) {
                    root = root.parent();
                }
                String script = root.name().equals("raftd") ? raftd : raftctl; // raftd restore, raftd recover
                assertTrue(script.contains(spec.name()), "completes " + spec.qualifiedName());
            }
        }
        assertTrue(raftd.contains("'--check-config'"), raftd);
        assertFalse(raftd.contains("cds-training"), "hidden options are not offered");
    }

    @Test
    void completionScriptsAreValidBash(@TempDir Path out) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        DocsGenerator.write(out, "1.2.3", "2026-01-02");
        for (String script : List.of("raftd.bash", "raftctl.bash")) {
            Result r = run(List.of("/bin/bash", "-n", out.resolve("completion").resolve(script).toString()));
            assertEquals(0, r.status(), script + ": " + r.output());
        }
    }

    @Test
    void groffRendersEveryPageWithoutAWarning(@TempDir Path out) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        DocsGenerator.write(out, "1.2.3", "2026-01-02");
        try (var pages = Files.list(out.resolve("man/man1"))) {
            for (Path page : pages.sorted().toList()) {
                // -ww: every warning; -z: no output, only the diagnostics
                Result r = run(List.of("/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page.toString()));
                assertEquals(0, r.status(), page + ": " + r.output());
                assertEquals("", r.output(), page + " renders with warnings");
            }
        }
    }

    private record Result(int status, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish within 30 s");
        }
        return new Result(p.exitValue(), output);
    }
}

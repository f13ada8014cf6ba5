package dev.raftledger.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes the distribution's manual pages (man/man1/*.1) and bash completion scripts
 * (completion/*.bash) from the picocli models of raftd and raftctl. The build runs it at
 * prepare-package: {@code DocsGenerator OUTPUT_DIR VERSION DATE}.
 */
public final class DocsGenerator {

    private DocsGenerator() {}

    /** The programs documented, by name. */
    static List<CommandLine> programs() {
        return List.of(new CommandLine(new dev.raftledger.raftd.RaftdCommand()), dev.raftledger.raftctl.Main.commandLine());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: DocsGenerator OUTPUT_DIR VERSION DATE");
        }
        // quiet, like the rest of a `mvn -q` build
        write(Path.of(args[0]), args[1], args[2]);
    }

    static List<Path> write(Path out, String version, String date) throws IOException {
        Path man1 = Files.createDirectories(out.resolve("man").resolve("man1"));
        Path completion = Files.createDirectories(out.resolve("completion"));
        List<Path> written = new ArrayList<>();
        for (CommandLine program : programs()) {
            for (CommandSpec spec : withSubcommands(program.getCommandSpec())) {
                Path page = man1.resolve(ManPage.fileName(spec));
                Files.writeString(page, ManPage.render(spec, version, date), StandardCharsets.UTF_8);
                written.add(page);
            }
            String name = program.getCommandName();
            Path script = completion.resolve(name + ".bash");
            Files.writeString(script, AutoComplete.bash(name, program), StandardCharsets.UTF_8);
            written.add(script);
        }
        return written;
    }

    /** The command and every visible subcommand below it, depth first. */
    static List<CommandSpec> withSubcommands(CommandSpec spec) {
        List<CommandSpec> all = new ArrayList<>();
        all.add(spec);
        for (CommandLine sub : ManPage.visibleSubcommands(spec).values()) {
            all.addAll(withSubcommands(sub.getCommandSpec()));
        }
        return all;
    }
}

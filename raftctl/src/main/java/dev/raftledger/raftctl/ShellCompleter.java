package dev.raftledger.raftctl;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Tab completion in the shell, read off the picocli model so it cannot drift from the commands:
 * command names first, node names where a command takes NODE, option names after "-".
 * JLine filters the candidates by what has been typed, so every fitting one is offered.
 */
final class ShellCompleter implements Completer {

    static final List<String> SHELL_WORDS = List.of("exit", "quit");

    private final CommandSpec root;
    private final List<String> nodeNames;

    ShellCompleter(CommandSpec root, List<String> nodeNames) {
        this.root = root;
        this.nodeNames = List.copyOf(nodeNames);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        CommandSpec command = root;
        int positionals = 0;
        boolean optionValueNext = false;
        for (String word : line.words().subList(0, line.wordIndex())) {
            if (optionValueNext) {
                optionValueNext = false;
            } else if (word.startsWith("-")) {
                OptionSpec option = command.findOption(word);
                optionValueNext = option != null && option.arity().min() > 0;
            } else if (command == root && root.subcommands().containsKey(word)) {
                command = root.subcommands().get(word).getCommandSpec();
            } else {
                positionals++;
            }
        }
        if (optionValueNext) {
            return; // a port, a host list, a file: nothing useful to offer
        }
        if (line.word().startsWith("-")) {
            for (OptionSpec option : command.options()) {
                for (String name : option.names()) {
                    candidates.add(new Candidate(name, name, "options", firstLine(option.description()), null, null, true));
                }
            }
        } else if (command == root) {
            addCommands(candidates);
            for (String word : SHELL_WORDS) {
                candidates.add(new Candidate(word, word, "commands", "leave the shell", null, null, true));
            }
        } else if (positionals == 0 && command.userObject() instanceof HelpCommand) {
            addCommands(candidates);
        } else if (positionals == 0 && command.userObject() instanceof NodeCommand) {
            for (String name : nodeNames) {
                candidates.add(new Candidate(name, name, "nodes", null, null, null, true));
            }
        }
    }

    private void addCommands(List<Candidate> candidates) {
        root.subcommands().forEach((String name, CommandLine sub) -> candidates.add(new Candidate(
                name, name, "commands", firstLine(sub.getCommandSpec().usageMessage().description()), null, null, true)));
    }

    private static String firstLine(String[] description) {
        return description.length == 0 ? null : description[0];
    }
}

package dev.raftledger.raftctl;

import dev.raftledger.raftctl.cluster.NodeCommand;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Tab completion in the shell, read off the picocli model so it cannot drift from the commands:
 * command names first (and subcommand names after a command that has them, such as
 * {@code expense}), node names where a command takes NODE and after {@code --node}, an
 * option's fixed values (such as {@code --by}'s), option names after "-".
 * JLine filters the candidates by what has been typed, so every fitting one is offered.
 */
final class ShellCompleter implements Completer {

    static final List<String> SHELL_WORDS = List.of("exit", "quit");
    /** The label of every option whose value is a node name (--node, transfer-leader's --to). */
    static final String NODE_LABEL = "NODE";

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
        OptionSpec valueOf = null;
        for (String word : line.words().subList(0, line.wordIndex())) {
            if (valueOf != null) {
                valueOf = null;
            } else if (word.startsWith("-")) {
                OptionSpec option = command.findOption(word);
                valueOf = option != null && option.arity().min() > 0 ? option : null;
            } else if (positionals == 0 && command.subcommands().containsKey(word)) {
                command = command.subcommands().get(word).getCommandSpec();
            } else {
                positionals++;
            }
        }
        if (valueOf != null) {
            addValues(valueOf, candidates); // else a port, a host list, a file: nothing useful to offer
            return;
        }
        if (line.word().startsWith("-")) {
            for (OptionSpec option : command.options()) {
                for (String name : option.names()) {
                    candidates.add(new Candidate(name, name, "options", firstLine(option.description()), null, null, true));
                }
            }
        } else if (command == root) {
            addCommands(root, candidates);
            for (String word : SHELL_WORDS) {
                candidates.add(new Candidate(word, word, "commands", "leave the shell", null, null, true));
            }
        } else if (positionals == 0 && command.userObject() instanceof HelpCommand) {
            addCommands(root, candidates);
        } else if (positionals == 0 && !command.subcommands().isEmpty()) {
            addCommands(command, candidates);
        } else if (positionals == 0 && command.userObject() instanceof NodeCommand) {
            for (String name : nodeNames) {
                candidates.add(new Candidate(name, name, "nodes", null, null, null, true));
            }
        }
    }

    private void addValues(OptionSpec option, List<Candidate> candidates) {
        if (NODE_LABEL.equals(option.paramLabel())) {
            for (String name : nodeNames) {
                candidates.add(new Candidate(name, name, "nodes", null, null, null, true));
            }
        } else if (option.completionCandidates() != null) {
            for (String value : option.completionCandidates()) {
                candidates.add(new Candidate(value, value, "values", null, null, null, true));
            }
        }
    }

    private static void addCommands(CommandSpec parent, List<Candidate> candidates) {
        parent.subcommands().forEach((String name, CommandLine sub) -> candidates.add(new Candidate(
                name, name, "commands", firstLine(sub.getCommandSpec().usageMessage().description()), null, null, true)));
    }

    private static String firstLine(String[] description) {
        return description.length == 0 ? null : description[0];
    }
}

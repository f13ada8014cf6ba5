package dev.raftledger.packaging;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * One section-1 manual page in troff (man macros), written from a picocli command's model: the
 * same names, options and texts as its --help, so the two cannot drift apart. A subcommand gets
 * a page of its own named like git's (raftctl-expense-add); its options inherited from the top
 * command are left to the top command's page.
 */
final class ManPage {

    /** ${env:NAME} or ${env:NAME:-fallback} in a default value, as written in the annotation. */
    private static final Pattern ENV_VARIABLE =
            Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final CommandSpec spec;
    private final String version;
    private final String date;
    private final StringBuilder out = new StringBuilder();

    private ManPage(CommandSpec spec, String version, String date) {
        this.spec = spec;
        this.version = version;
        this.date = date;
    }

    /** The file name of the command's page, e.g. raftctl-expense-add.1. */
    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    static String render(CommandSpec spec, String version, String date) {
        return new ManPage(spec, version, date).render();
    }

    private String render() {
        String page = spec.qualifiedName("-");
        line(".TH " + Troff.quoted(page.toUpperCase(Locale.ROOT)) + " 1 " + Troff.quoted(date) + " "
                + Troff.quoted("raftledger " + version) + " " + Troff.quoted("raftledger manual"));
        // no hyphenation (option and page names must stay whole) and a ragged right margin
        line(".nh");
        line(".ad l");
        name(page);
        synopsis();
        section("DESCRIPTION");
        paragraphs(lines(spec.usageMessage().description()));
        options();
        arguments();
        commands();
        environment();
        footer();
        exitStatus();
        seeAlso();
        return out.toString();
    }

    private void name(String page) {
        section("NAME");
        line(Troff.text(page) + " \\- " + Troff.text(summary(spec)));
    }

    private void synopsis() {
        section("SYNOPSIS");
        // picocli's own synopsis, unwrapped: troff fills the line itself.
        String synopsis = new Help(spec, new Help.ColorScheme.Builder(Ansi.OFF).build()).synopsis(0)
                .replaceAll("\\s+", " ").strip();
        String command = spec.qualifiedName(" ");
        String rest = synopsis.startsWith(command) ? synopsis.substring(command.length()).strip() : synopsis;
        line(Troff.bold(command) + (rest.isEmpty() ? "" : " " + Troff.text(rest)));
    }

    private void options() {
        List<OptionSpec> shown = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden() && !option.inherited()) {
                shown.add(option);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        section("OPTIONS");
        if (spec.parent() != null) {
            line("The global options of " + Troff.bold(spec.root().name()) + "(1) are accepted too.");
        }
        for (OptionSpec option : shown) {
            line(".TP");
            List<String> names = new ArrayList<>();
            for (String name : option.names()) {
                names.add(Troff.bold(name));
            }
            String label = option.arity().max() == 0 ? "" : " " + Troff.italic(option.paramLabel());
            line(String.join(", ", names) + label);
            paragraphs(lines(describe(option)));
        }
    }

    private void arguments() {
        List<PositionalParamSpec> shown = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden() && !p.inherited()) {
                shown.add(p);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        section("ARGUMENTS");
        for (PositionalParamSpec p : shown) {
            line(".TP");
            line(Troff.italic(p.paramLabel()));
            paragraphs(lines(describe(p)));
        }
    }

    private void commands() {
        Map<String, CommandLine> visible = visibleSubcommands(spec);
        if (visible.isEmpty()) {
            return;
        }
        section("COMMANDS");
        for (CommandLine sub : visible.values()) {
            CommandSpec s = sub.getCommandSpec();
            line(".TP");
            List<String> names = new ArrayList<>();
            names.add(Troff.bold(s.name()));
            for (String alias : s.aliases()) {
                names.add(Troff.bold(alias));
            }
            line(String.join(", ", names));
            line(Troff.text(summary(s)) + ". See " + Troff.bold(s.qualifiedName("-")) + "(1).");
        }
    }

    /** Variables read as option defaults (picocli's ${env:NAME} default values). */
    private void environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            String declared = declared(option, option::defaultValue);
            if (option.hidden() || option.inherited() || declared == null) {
                continue;
            }
            Matcher m = ENV_VARIABLE.matcher(declared);
            while (m.find()) {
                variables.put(m.group(1), option.longestName());
            }
        }
        boolean top = spec.parent() == null;
        if (variables.isEmpty() && !top) {
            return;
        }
        section("ENVIRONMENT");
        if (!variables.isEmpty()) {
            line("Each variable gives the default of an option; the option, if given, wins.");
        }
        for (Map.Entry<String, String> v : variables.entrySet()) {
            line(".TP");
            line(Troff.bold(v.getKey()));
            line("Default of " + Troff.bold(v.getValue()) + ".");
        }
        if (top) {
            // read by the launcher script (packaging/launcher/launcher.sh), not by the program
            line(".TP");
            line(Troff.bold("JAVA") + ", " + Troff.bold("JAVA_HOME"));
            line("The Java 17 runtime: $JAVA, else $JAVA_HOME/bin/java, else java on the PATH.");
            line(".TP");
            line(Troff.bold("RAFT_JAVA_OPTS"));
            line("More JVM flags, e.g. \\-Xmx1g.");
        }
    }

    private void footer() {
        UsageMessageSpec usage = spec.usageMessage();
        List<String> footer = lines(usage.footer());
        if (footer.isEmpty()) {
            return;
        }
        String heading = format(usage.footerHeading()).strip();
        if (heading.endsWith(":")) {
            heading = heading.substring(0, heading.length() - 1);
        }
        section(heading.isEmpty() ? "NOTES" : heading.toUpperCase(Locale.ROOT));
        paragraphs(footer);
    }

    private void exitStatus() {
        // Subcommands share the program's exit statuses, listed once on the top command.
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            codes = spec.root().usageMessage().exitCodeList();
        }
        if (codes.isEmpty()) {
            return;
        }
        section("EXIT STATUS");
        for (Map.Entry<String, String> code : codes.entrySet()) {
            line(".TP");
            line(Troff.bold(code.getKey().strip()));
            line(Troff.text(format(code.getValue()).strip()));
        }
    }

    private void seeAlso() {
        List<String> pages = new ArrayList<>();
        if (spec.parent() != null) {
            pages.add(spec.parent().qualifiedName("-"));
        }
        for (CommandLine sub : visibleSubcommands(spec).values()) {
            pages.add(sub.getCommandSpec().qualifiedName("-"));
        }
        // the two programs point at each other
        String other = spec.root().name().equals("raftd") ? "raftctl" : "raftd";
        if (spec.parent() == null) {
            pages.add(other);
        }
        section("SEE ALSO");
        List<String> refs = new ArrayList<>();
        for (String page : pages) {
            refs.add(Troff.bold(page) + "(1)");
        }
        line(String.join(", ", refs));
    }

    /**
     * The description's first sentence without its full stop, for NAME ("page \\- summary") and
     * the list of commands. Descriptions are wrapped by hand, so lines are joined first.
     */
    static String summary(CommandSpec spec) {
        String text = String.join(" ", lines(spec.usageMessage().description())).replaceAll("\\s+", " ").strip();
        int end = text.indexOf(". ");
        if (end >= 0) {
            text = text.substring(0, end);
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** Subcommands once each (picocli lists an alias as a key of its own), help and hidden ones left out. */
    static Map<String, CommandLine> visibleSubcommands(CommandSpec spec) {
        Map<String, CommandLine> visible = new LinkedHashMap<>();
        for (CommandLine sub : spec.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (!s.usageMessage().hidden() && !s.helpCommand()) {
                visible.putIfAbsent(s.name(), sub);
            }
        }
        return visible;
    }

    private void section(String title) {
        line(".SH " + Troff.quoted(title));
    }

    /**
     * Text lines as troff fills them; an empty line starts a new paragraph. The indentation all
     * lines share (help texts indent a footer) goes; a line indented further keeps its own
     * line, as troff breaks before a leading space.
     */
    private void paragraphs(List<String> text) {
        int common = Integer.MAX_VALUE;
        for (String l : text) {
            if (!l.isBlank()) {
                common = Math.min(common, l.length() - l.stripLeading().length());
            }
        }
        for (String l : text) {
            line(l.isBlank() ? ".PP" : Troff.text(l.substring(common)));
        }
    }

    /**
     * An option's or argument's description with ${DEFAULT-VALUE} filled in from the default as
     * declared: ${env:NAME:-fallback} shows the fallback, ${env:NAME} alone shows nothing. (picocli
     * would show the value in the build's environment, e.g. an exported RAFT_CLUSTER.)
     */
    private static String[] describe(ArgSpec arg) {
        String declared = declared(arg, arg::defaultValue);
        String shown = declared == null ? "" : ENV_VARIABLE.matcher(declared).replaceAll(
                m -> Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        String[] description = declared(arg, arg::description).clone();
        for (int i = 0; i < description.length; i++) {
            description[i] = description[i].replace("${DEFAULT-VALUE}", shown);
        }
        return description;
    }

    /** A text as the annotation has it, with picocli's variables not yet resolved. */
    private static <T> T declared(ArgSpec arg, Supplier<T> text) {
        CommandSpec command = arg.command();
        boolean interpolating = command.interpolateVariables();
        command.interpolateVariables(false);
        try {
            return text.get();
        } finally {
            command.interpolateVariables(interpolating);
        }
    }

    /** Help texts are format strings (%n for a line break), one or more lines each. */
    private static List<String> lines(String[] texts) {
        List<String> lines = new ArrayList<>();
        for (String t : texts) {
            lines.addAll(List.of(format(t).split("\\R", -1)));
        }
        return lines;
    }

    private static String format(String text) {
        try {
            return String.format(Locale.ROOT, text);
        } catch (IllegalFormatException e) {
            return text;
        }
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}

package dev.raftledger.raftd;

import dev.raftledger.raftd.driver.start.NodeConfig;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns a command line and an environment (say, a compose service's {@code command} and
 * {@code environment}) into the NodeConfig raftd would run with, through raftd's own picocli model
 * and checks. Only the given environment counts, never the test JVM's own.
 */
public final class RaftdConfigs {

    /** An option default of the form ${env:NAME} or ${env:NAME:-fallback}. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-(.*))?}");

    private RaftdConfigs() {}

    /**
     * @throws CommandLine.ParameterException what raftd would report as a usage error (exit status 2)
     */
    public static NodeConfig parse(List<String> command, Map<String, String> environment) {
        RaftdCommand raftd = new RaftdCommand();
        CommandLine cl = new CommandLine(raftd);
        // the environment goes first as options, so that the command's own flags win, as in raftd
        cl.setOverwrittenOptionsAllowed(true);
        List<String> args = new ArrayList<>();
        List<OptionSpec> unset = new ArrayList<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            Matcher env = o.userObject() instanceof Field f && f.isAnnotationPresent(Option.class)
                    ? ENV_DEFAULT.matcher(f.getAnnotation(Option.class).defaultValue()) : null;
            if (env == null || !env.matches()) {
                continue;
            }
            String value = environment.containsKey(env.group(1)) ? environment.get(env.group(1)) : env.group(2);
            if (value != null) {
                args.add(o.longestName());
                args.add(value);
            } else {
                unset.add(o);
            }
        }
        args.addAll(command);
        ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        for (OptionSpec o : unset) {
            if (!parsed.hasMatchedOption(o) && !o.type().isPrimitive()) {
                o.setValue(null); // picocli filled it from the test JVM's own environment, if at all
            }
        }
        return raftd.config();
    }
}
